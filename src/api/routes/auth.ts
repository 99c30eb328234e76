import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedKey } from '../../auth/index.js';
import { SwitchboardError, type Principal } from '../../shared/index.js';
import { guard, principalOf, SECURED, sendError, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';
import { AdminTokenStatus, ChangePasswordBody, LoginBody, LogoutBody, LogoutResult, Me, RefreshBody, RotatedAdminToken, Session, SetupBody, SetupStatus } from './identity-schemas.js';

/**
 * Logins (MCPBox's /auth paths): first-run setup, login, refresh, logout, me, change-password; and the
 * never-expiring admin token (McpHub). Thin: parse, call `admin.auth`, return.
 */

const TAG = 'auth';
const PUBLIC_ERRORS = { 400: ErrorEnvelope, 401: ErrorEnvelope, 429: ErrorEnvelope } as const;

/** Authenticate without requiring a scope (who-am-I, logout, password change work for every credential). */
function signedIn(deps: ApiDeps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const got = await deps.authenticate({ headers: req.headers, ip: req.ip });
    if (got instanceof SwitchboardError) {
      if (got.httpStatus === 401) reply.header('www-authenticate', 'Bearer realm="switchboard"');
      return sendError(reply, got);
    }
    req.principal = got;
  };
}

/** A direct connection from this machine: a loopback peer with no proxy in between. */
function isLoopbackClient(req: FastifyRequest): boolean {
  const addr = req.raw.socket.remoteAddress ?? '';
  const loopback = addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
  // A reverse proxy on the same machine connects from loopback on behalf of anyone: not local.
  return loopback && req.headers['x-forwarded-for'] === undefined && req.headers['forwarded'] === undefined && req.headers['x-real-ip'] === undefined;
}

/** Run `fn`; a 429 from the login limits gets its Retry-After header. */
async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const wait = err instanceof SwitchboardError ? err.details?.['retry_after_s'] : undefined;
    if (typeof wait === 'number') reply.header('retry-after', String(wait));
    throw err;
  }
}

export function authRoutes(app: ApiApp, deps: ApiDeps): void {
  const auth = () => deps.admin.auth;

  app.get(
    '/auth/status',
    { schema: { tags: [TAG], summary: 'Whether the first admin still has to be created (no credentials needed)', response: { 200: SetupStatus, 429: ErrorEnvelope } } },
    async () => auth().status(),
  );

  app.post(
    '/auth/setup',
    {
      schema: {
        tags: [TAG],
        summary: 'Create the first admin (once). Without credentials only from this machine; remotely with the bootstrap key',
        security: [{}, ...SECURED],
        body: SetupBody,
        response: { 201: Session, ...PUBLIC_ERRORS, 403: ErrorEnvelope, 409: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (req, reply) => {
      let actor: Principal | undefined;
      if (presentedKey({ headers: req.headers }) !== undefined) {
        const got = await deps.authenticate({ headers: req.headers, ip: req.ip });
        if (got instanceof SwitchboardError) return sendError(reply.header('www-authenticate', 'Bearer realm="switchboard"'), got);
        actor = got;
      }
      const session = await auth().setup({ actor, loopbackClient: isLoopbackClient(req) }, req.body);
      return reply.code(201).send(session);
    },
  );

  app.post(
    '/auth/login',
    { schema: { tags: [TAG], summary: 'Log in: a 15-minute access token and a 7-day refresh token. Repeated failures lock the account (429)', body: LoginBody, response: { 200: Session, ...PUBLIC_ERRORS } } },
    async (req, reply) => withRetryAfter(reply, () => auth().login(req.body.username, req.body.password, req.ip)),
  );

  app.post(
    '/auth/refresh',
    { schema: { tags: [TAG], summary: 'Exchange a refresh token for a new pair; reusing an exchanged token ends that login', body: RefreshBody, response: { 200: Session, ...PUBLIC_ERRORS } } },
    async (req) => auth().refresh(req.body.refresh_token),
  );

  app.post(
    '/auth/logout',
    {
      onRequest: signedIn(deps),
      schema: { tags: [TAG], summary: 'End a login: its refresh token and access tokens stop working', security: SECURED, body: LogoutBody, response: { 200: LogoutResult, ...PUBLIC_ERRORS } },
    },
    async (req) => auth().logout(principalOf(req), req.body?.refresh_token),
  );

  app.get(
    '/auth/me',
    { onRequest: signedIn(deps), schema: { tags: [TAG], summary: 'Who the credentials belong to, with their scopes and allow-lists', security: SECURED, response: { 200: Me, ...PUBLIC_ERRORS } } },
    async (req) => auth().me(principalOf(req)),
  );

  app.post(
    '/auth/change-password',
    {
      onRequest: signedIn(deps),
      schema: {
        tags: [TAG],
        summary: "Change the signed-in user's password: every login of the user ends, a new pair is returned",
        security: SECURED,
        body: ChangePasswordBody,
        response: { 200: Session, ...PUBLIC_ERRORS, 403: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (req, reply) => withRetryAfter(reply, () => auth().changePassword(principalOf(req), req.body.current_password, req.body.new_password, req.ip)),
  );

  app.get(
    '/api/admin-token',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Whether an admin token exists and when it was last rotated', security: SECURED, response: { 200: AdminTokenStatus, ...GUARDED_ERRORS } } },
    async (req) => auth().adminTokenStatus(principalOf(req)),
  );

  app.post(
    '/api/admin-token/rotate',
    {
      preHandler: guard(deps, 'admin'),
      schema: { tags: [TAG], summary: 'Replace the admin token (never expires, full access); the new token is shown once, the old one stops working', security: SECURED, response: { 200: RotatedAdminToken, ...GUARDED_ERRORS } },
    },
    async (req) => auth().rotateAdminToken(principalOf(req)),
  );
}
