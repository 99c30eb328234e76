import type { TokenPair } from '../auth/index.js';
import { SwitchboardError, hasScope, type Principal, type Role, type Scope } from '../shared/index.js';
import { checkCredentialsInput, checkPassword, requireAccessScope, userView, type AccessDeps, type UserView } from './users-service.js';

/** How the caller of `/auth/setup` reached us, for the one-time first-admin rule. */
export interface SetupContext {
  /** The presented credential's principal, or undefined when none was sent. */
  actor: Principal | undefined;
  /** True for a direct connection from this machine (not one relayed by a proxy). */
  loopbackClient: boolean;
}

export interface Session extends TokenPair {
  user: UserView;
}

/** Who the caller is, as /auth/me tells it. */
export interface MeView {
  kind: Principal['kind'];
  id: string;
  name: string;
  role: Role | null;
  scopes: Scope[];
  servers: string[] | null;
  tools: string[] | null;
  /** For users: the account. */
  user: UserView | null;
}

/** Logins, the one-time setup, password changes and the admin token. */
export interface AuthService {
  /** Whether the first admin still has to be created (for the web console). */
  status(): Promise<{ setup_required: boolean }>;
  setup(ctx: SetupContext, input: { username: string; password: string }): Promise<Session>;
  login(username: string, password: string, ip: string): Promise<Session>;
  refresh(refreshToken: string): Promise<Session>;
  /** End the login behind the caller's access token, or the one a refresh token belongs to. */
  logout(actor: Principal, refreshToken?: string): Promise<{ revoked: boolean }>;
  me(actor: Principal): Promise<MeView>;
  changePassword(actor: Principal, current: string, next: string, ip: string): Promise<Session>;
  rotateAdminToken(actor: Principal): Promise<{ token: string; rotated_at: string }>;
  adminTokenStatus(actor: Principal): Promise<{ configured: boolean; rotated_at: string | null }>;
}

const SETUP_ACTOR: Principal = { kind: 'anonymous', id: 'setup', name: 'first-run setup (loopback)', scopes: [] };

export function createAuthService(deps: AccessDeps): AuthService {
  const repo = deps.store.auth;
  const { identity } = deps;

  return {
    async status() {
      return { setup_required: (await repo.countUsers()) === 0 };
    },
    async setup(ctx, input) {
      if ((await repo.countUsers()) > 0) throw new SwitchboardError('SWB_STATE_CONFLICT', 'Setup is done: an account exists. Log in, or ask an admin for one');
      // Without credentials only from this machine; remotely only with the bootstrap key (or another admin credential).
      if (ctx.actor === undefined) {
        if (!ctx.loopbackClient) throw new SwitchboardError('SWB_AUTH_REQUIRED', 'First-run setup from another machine needs the bootstrap key (SWITCHBOARD_API_KEY)');
      } else if (!identity.isBootstrap(ctx.actor) && !hasScope(ctx.actor, 'admin')) {
        throw new SwitchboardError('SWB_AUTH_FORBIDDEN', 'First-run setup needs the bootstrap key or an admin credential');
      }
      checkCredentialsInput(input.username, input.password);
      const now = new Date().toISOString();
      const id = `usr_${crypto.randomUUID().replaceAll('-', '')}`;
      const created = await repo.insertFirstUser({ id, username: input.username, passwordHash: await identity.hashPassword(input.password), role: 'admin', now });
      if (!created) throw new SwitchboardError('SWB_STATE_CONFLICT', 'Setup is done: an account exists. Log in, or ask an admin for one');
      const user = (await repo.userById(id))!;
      const view = userView(user);
      deps.activity.adminChange({ actor: ctx.actor ?? SETUP_ACTOR, action: 'users.create', target: view.username, after: { username: view.username, role: view.role, setup: true } });
      return { ...(await identity.sessions.issue(user)), user: view };
    },
    async login(username, password, ip) {
      const { user, tokens } = await identity.sessions.login(username, password, ip);
      return { ...tokens, user: userView(user) };
    },
    async refresh(refreshToken) {
      const { user, tokens } = await identity.sessions.refresh(refreshToken);
      return { ...tokens, user: userView(user) };
    },
    async logout(actor, refreshToken) {
      const userId = actor.kind === 'user' ? actor.id : undefined;
      const family = refreshToken !== undefined ? await identity.sessions.familyOf(refreshToken, userId) : identity.sessionOf(actor);
      if (family === undefined) return { revoked: false };
      await identity.sessions.revokeFamily(family);
      return { revoked: true };
    },
    async me(actor) {
      const user = actor.kind === 'user' ? await repo.userById(actor.id) : undefined;
      return {
        kind: actor.kind,
        id: actor.id,
        name: actor.name,
        role: actor.role ?? null,
        scopes: [...actor.scopes],
        servers: actor.servers ? [...actor.servers] : null,
        tools: actor.tools ? [...actor.tools] : null,
        user: user ? userView(user) : null,
      };
    },
    async changePassword(actor, current, next, ip) {
      if (actor.kind !== 'user') throw new SwitchboardError('SWB_AUTH_FORBIDDEN', 'Only a signed-in user has a password to change');
      checkPassword(next);
      const { user, tokens } = await identity.sessions.changePassword(actor.id, current, next, ip);
      const view = userView(user);
      deps.activity.adminChange({ actor, action: 'users.change_password', target: view.username });
      return { ...tokens, user: view };
    },
    async rotateAdminToken(actor) {
      requireAccessScope(actor, 'admin');
      const { token, rotatedAt } = await identity.rotateAdminToken();
      deps.activity.adminChange({ actor, action: 'admin_token.rotate', target: 'admin_token', after: { rotated_at: rotatedAt } });
      return { token, rotated_at: rotatedAt };
    },
    async adminTokenStatus(actor) {
      requireAccessScope(actor, 'admin');
      const s = await identity.adminTokenStatus();
      return { configured: s.configured, rotated_at: s.rotatedAt };
    },
  };
}
