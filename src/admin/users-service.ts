import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type Identity } from '../auth/index.js';
import { ROLES, SwitchboardError, hasScope, type Principal, type Role, type Scope } from '../shared/index.js';
import type { UserRecord } from '../store/index.js';
import type { AdminDeps } from './admin.js';

/** What the identity services (users, keys, logins) are built from; the CLI builds them without a gateway. */
export type AccessDeps = Pick<AdminDeps, 'store' | 'activity'> & { identity: Identity };

/** A user as every face shows it: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  /** Set while the account is locked after repeated failed logins. */
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserPage {
  items: UserView[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

export interface NewUserInput {
  username: string;
  password: string;
  role: Role;
}

export interface UserUpdate {
  role?: Role;
  disabled?: boolean;
  /** An admin's password reset: ends every login of the user. */
  password?: string;
  /** Lift a lockout after failed logins. */
  unlock?: boolean;
}

/** Users: admin-only management; the last enabled admin cannot be deleted, disabled or demoted. */
export interface UsersService {
  list(actor: Principal, page: number, pageSize: number): Promise<UserPage>;
  get(actor: Principal, id: string): Promise<UserView>;
  create(actor: Principal, input: NewUserInput): Promise<UserView>;
  update(actor: Principal, id: string, patch: UserUpdate): Promise<UserView>;
  remove(actor: Principal, id: string): Promise<void>;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** Throws SWB_AUTH_FORBIDDEN unless the actor holds the scope (the faces check too; this is the backstop). */
export function requireAccessScope(actor: Principal, scope: Scope): void {
  if (!hasScope(actor, scope)) throw new SwitchboardError('SWB_AUTH_FORBIDDEN', `This needs the '${scope}' scope`, { required: scope });
}

/** The shape checks the REST schemas also make, repeated here for the CLI and the MCP faces. */
export function checkCredentialsInput(username: string, password: string | undefined): void {
  if (!USERNAME_PATTERN.test(username)) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'A user name is 1-64 characters: letters, digits and _ . @ -, starting with a letter or digit', { field: 'username' });
  if (password !== undefined) checkPassword(password);
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new SwitchboardError('SWB_VALIDATION_FAILED', `A password is ${MIN_PASSWORD_LENGTH}-${MAX_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
}

export function userView(u: UserRecord, now = Date.now()): UserView {
  const locked = u.lockedUntil !== null && Date.parse(u.lockedUntil) > now ? u.lockedUntil : null;
  return { id: u.id, username: u.username, role: (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'viewer', disabled: u.disabled, locked_until: locked, created_at: u.createdAt, updated_at: u.updatedAt };
}

/** Summary recorded in the activity log: never a hash. */
function audit(u: UserView): Record<string, unknown> {
  return { username: u.username, role: u.role, disabled: u.disabled };
}

export function lastAdmin(): SwitchboardError {
  return new SwitchboardError('SWB_AUTH_LAST_ADMIN', 'This is the last enabled admin; make another user admin first');
}

export function createUsersService(deps: AccessDeps): UsersService {
  const repo = deps.store.auth;
  const { identity } = deps;

  async function find(id: string): Promise<UserRecord> {
    const u = await repo.userById(id);
    if (!u) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No user with id '${id}'`, { id });
    return u;
  }

  return {
    async list(actor, page, pageSize) {
      requireAccessScope(actor, 'admin');
      const { items, total } = await repo.listUsers((page - 1) * pageSize, pageSize);
      return { items: items.map((u) => userView(u)), total, page, page_size: pageSize, pages: Math.ceil(total / pageSize) };
    },
    async get(actor, id) {
      requireAccessScope(actor, 'admin');
      return userView(await find(id));
    },
    async create(actor, input) {
      requireAccessScope(actor, 'admin');
      checkCredentialsInput(input.username, input.password);
      const now = new Date().toISOString();
      const id = `usr_${crypto.randomUUID().replaceAll('-', '')}`;
      const ok = await repo.insertUser({ id, username: input.username, passwordHash: await identity.hashPassword(input.password), role: input.role, now });
      if (!ok) throw new SwitchboardError('SWB_STATE_CONFLICT', `The user name '${input.username}' is taken`, { username: input.username });
      const view = userView(await find(id));
      deps.activity.adminChange({ actor, action: 'users.create', target: view.username, after: audit(view) });
      return view;
    },
    async update(actor, id, patch) {
      requireAccessScope(actor, 'admin');
      if (patch.password !== undefined) checkPassword(patch.password);
      const before = userView(await find(id));
      const now = new Date().toISOString();
      const passwordHash = patch.password !== undefined ? await identity.hashPassword(patch.password) : undefined;
      const result = await repo.updateUser(
        id,
        {
          ...(passwordHash !== undefined ? { passwordHash, failedLogins: 0, lockedUntil: null } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.unlock ? { failedLogins: 0, lockedUntil: null } : {}),
        },
        now,
        { keepAdmin: true },
      );
      if (result === 'missing') throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No user with id '${id}'`, { id });
      if (result === 'last_admin') throw lastAdmin();
      // A reset password or a disabled account ends every login now, not when its access token runs out.
      if (passwordHash !== undefined || (patch.disabled === true && !before.disabled)) await identity.sessions.endAllLogins(id);
      identity.userChanged(id);
      const after = userView(await find(id));
      deps.activity.adminChange({ actor, action: 'users.update', target: after.username, before: audit(before), after: { ...audit(after), ...(patch.password !== undefined ? { password: 'reset' } : {}), ...(patch.unlock ? { unlocked: true } : {}) } });
      return after;
    },
    async remove(actor, id) {
      requireAccessScope(actor, 'admin');
      const before = userView(await find(id));
      const result = await repo.deleteUser(id, new Date().toISOString());
      if (result === 'missing') throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No user with id '${id}'`, { id });
      if (result === 'last_admin') throw lastAdmin();
      identity.userChanged(id);
      deps.activity.adminChange({ actor, action: 'users.delete', target: before.username, before: audit(before) });
    },
  };
}
