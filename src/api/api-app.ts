import type { FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminService } from '../admin/index.js';
import { SwitchboardError, errorEnvelope, hasScope, type Authenticate, type Principal, type Scope } from '../shared/index.js';

/** A Fastify instance whose route schemas are zod schemas (validated in, serialised out, documented). */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface ApiDeps {
  admin: AdminService;
  authenticate: Authenticate;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `guard()` before the handler runs. */
    principal?: Principal;
  }
}

/** Marks a guard with the scope it requires, so the OpenAPI document can state it (`x-required-scope`). */
export const GUARD_SCOPE = Symbol('switchboard.guardScope');

/**
 * The preHandler every protected route uses: authenticate, then require a scope. 401 without (or with
 * wrong) credentials, 403 without the scope. `scope: 'public'` routes skip it. Declare it as the route's
 * `preHandler`; registerApi runs it at onRequest, before the body is read or validated.
 */
export function guard(deps: ApiDeps, scope: Scope, opts: { allowQueryKey?: boolean } = {}) {
  const check = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const got = await deps.authenticate({ headers: req.headers, query: req.query as Record<string, unknown>, allowQueryKey: opts.allowQueryKey ?? false, ip: req.ip });
    if (got instanceof SwitchboardError) {
      if (got.httpStatus === 401) reply.header('www-authenticate', 'Bearer realm="switchboard"');
      return sendError(reply, got);
    }
    if (!hasScope(got, scope)) return sendError(reply, new SwitchboardError('SWB_AUTH_FORBIDDEN', `This needs the '${scope}' scope`, { required: scope }));
    req.principal = got;
  };
  return Object.assign(check, { [GUARD_SCOPE]: scope });
}

/** The principal `guard()` set; throws if a route forgot its guard (a programming error, not a client one). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`route ${req.routeOptions.url} has no guard`);
  return req.principal;
}

export function sendError(reply: FastifyReply, err: SwitchboardError): FastifyReply {
  return reply.code(err.httpStatus).header('content-type', 'application/json; charset=utf-8').send(errorEnvelope(err));
}

/** OpenAPI security requirement for guarded routes. */
export const SECURED: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
