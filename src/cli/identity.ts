import { userInfo } from 'node:os';
import { createActivityLog } from '../activity/index.js';
import { createAuthService, createKeysService, createUsersService, type AccessDeps, type KeyView } from '../admin/index.js';
import { createIdentity } from '../auth/index.js';
import { fullAccess, ROLES, SCOPES, type Principal, type Role, type Scope } from '../shared/index.js';
import { openStore } from '../store/index.js';
import type { Output } from './commands.js';
import { renderTable } from './table.js';

/** Flags the `admin` and `keys` commands read. */
export interface IdentityFlags {
  username?: string | undefined;
  password?: string | undefined;
  'password-stdin'?: boolean | undefined;
  role?: string | undefined;
  name?: string | undefined;
  scopes?: string | undefined;
  servers?: string | undefined;
  tools?: string | undefined;
  expires?: string | undefined;
  rotate?: boolean | undefined;
  json: boolean;
}

export const IDENTITY_USAGE = `  switchboard admin create --username U [--password-stdin | --password P] [--role admin|editor|viewer] [--data DIR]
  switchboard admin token --rotate [--data DIR]
  switchboard keys create --name N [--scopes read,execute] [--servers 'glob,…'] [--tools 'glob,…'] [--expires 30d] [--json]
  switchboard keys list [--json]
  switchboard keys revoke ID [--json]`;

const DEFAULT_KEY_SCOPES = 'read,execute';

class UsageError extends Error {}

/** The operator at this terminal: whoever can read the data directory holds every credential in it anyway. */
function cliActor(): Principal {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (some containers): the CLI still works, the log says "unknown".
  }
  return fullAccess('local', `cli:${who}`, `CLI (${who})`);
}

/**
 * Run `fn` with the identity services on the data directory, without a gateway: changes reach a
 * running gateway on the same directory through the store (keys at once, revocations within seconds).
 */
async function withAccess<T>(dataDir: string, fn: (deps: AccessDeps) => Promise<T>): Promise<T> {
  const store = await openStore(dataDir);
  const activity = createActivityLog({ repo: store.activity, retentionDays: () => 0 });
  try {
    const identity = await createIdentity({ repo: store.auth, dataDir: store.dataDir, env: process.env, bootstrapKeys: [], syncMs: 0 });
    try {
      return await fn({ store, activity, identity });
    } finally {
      await identity.close();
    }
  } finally {
    await activity.close();
    await store.close();
  }
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** `switchboard admin create|token` */
export async function adminCommand(pos: string[], o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  try {
    if (pos[1] === 'create') return await adminCreate(o, dataDir, io);
    if (pos[1] === 'token' && o.rotate) return await rotateToken(o, dataDir, io);
    throw new UsageError(pos[1] === 'token' ? 'switchboard admin token needs --rotate (the current token cannot be shown: only its digest is stored)' : `Unknown command '${pos.join(' ')}'`);
  } catch (err) {
    if (err instanceof UsageError) return io.err(`SWB_INVALID_ARGUMENT: ${err.message}\n\nusage:\n${IDENTITY_USAGE}`), 2;
    throw err;
  }
}

async function adminCreate(o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  if (!o.username) throw new UsageError('--username is required');
  if (o['password-stdin'] && o.password !== undefined) throw new UsageError('give --password-stdin or --password, not both');
  if (!o['password-stdin'] && o.password === undefined) throw new UsageError('give the password on stdin (--password-stdin) or with --password');
  const role = (o.role ?? 'admin') as Role;
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const password = o['password-stdin'] ? await readStdin() : o.password!;
  const user = await withAccess(dataDir, async (deps) => {
    const actor = cliActor();
    // The first account goes through setup (atomic "only if none exists"); later ones are ordinary users,
    // so this also recovers access when every admin is locked out or forgotten.
    if ((await createAuthService(deps).status()).setup_required && role === 'admin') {
      return (await createAuthService(deps).setup({ actor, loopbackClient: true }, { username: o.username!, password })).user;
    }
    return createUsersService(deps).create(actor, { username: o.username!, password, role });
  });
  if (o.json) io.out(JSON.stringify(user, null, 2));
  else io.out(`Created ${user.role} '${user.username}' (${user.id}). Log in at /auth/login or in the web console.`);
  return 0;
}

async function rotateToken(o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  const result = await withAccess(dataDir, (deps) => createAuthService(deps).rotateAdminToken(cliActor()));
  if (o.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(result.token);
    io.err('The admin token never expires and has full access; the previous one no longer works. Store it now: it is not shown again.');
  }
  return 0;
}

/** `switchboard keys create|list|revoke` */
export async function keysCommand(pos: string[], o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  try {
    switch (pos[1]) {
      case 'create':
        return await keysCreate(o, dataDir, io);
      case 'list':
        return await keysList(o, dataDir, io);
      case 'revoke':
        if (!pos[2]) throw new UsageError('switchboard keys revoke ID');
        return await keysRevoke(pos[2], o, dataDir, io);
      default:
        throw new UsageError(`Unknown command '${pos.join(' ')}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) return io.err(`SWB_INVALID_ARGUMENT: ${err.message}\n\nusage:\n${IDENTITY_USAGE}`), 2;
    throw err;
  }
}

async function keysCreate(o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  if (!o.name) throw new UsageError('--name is required');
  const scopes = list(o.scopes ?? DEFAULT_KEY_SCOPES)!;
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(', ')} (use ${SCOPES.join(', ')})`);
  const servers = list(o.servers);
  const tools = list(o.tools);
  const { key, secret } = await withAccess(dataDir, (deps) =>
    createKeysService(deps).create(cliActor(), { name: o.name!, scopes: scopes as Scope[], servers, tools, ...(o.expires !== undefined ? { expires_in: o.expires } : {}) }),
  );
  if (o.json) io.out(JSON.stringify({ key, secret }, null, 2));
  else {
    // Only the secret on stdout, so `KEY=$(switchboard keys create --name ci)` works.
    io.out(secret);
    io.err(`Created API key ${key.id} '${key.name}' (scopes: ${key.scopes.join(', ')}${key.expires_at ? `, expires ${key.expires_at}` : ''}). Store it now: it is not shown again.`);
  }
  return 0;
}

function describe(k: KeyView): string[] {
  return [k.id, k.name, k.prefix, k.scopes.join(','), [k.servers ? `servers=${k.servers.join(',')}` : '', k.tools ? `tools=${k.tools.join(',')}` : ''].filter(Boolean).join(' ') || '-', k.status, k.expires_at ?? 'never', k.last_used_at ?? '-', k.created_by.name];
}

async function keysList(o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  const keys: KeyView[] = [];
  await withAccess(dataDir, async (deps) => {
    const svc = createKeysService(deps);
    for (let page = 1; ; page++) {
      const p = await svc.list(cliActor(), page, 200);
      keys.push(...p.items);
      if (page >= p.pages) break;
    }
  });
  if (o.json) io.out(JSON.stringify(keys, null, 2));
  else if (keys.length === 0) io.out('No API keys. Create one with: switchboard keys create --name NAME');
  else io.out(renderTable(['ID', 'NAME', 'PREFIX', 'SCOPES', 'ALLOW-LISTS', 'STATUS', 'EXPIRES', 'LAST USED', 'CREATED BY'], keys.map(describe)));
  return 0;
}

async function keysRevoke(id: string, o: IdentityFlags, dataDir: string, io: Output): Promise<number> {
  const key = await withAccess(dataDir, (deps) => createKeysService(deps).revoke(cliActor(), id));
  if (o.json) io.out(JSON.stringify(key, null, 2));
  else io.out(`Revoked API key ${key.id} '${key.name}'. A running gateway on this data directory refuses it within a few seconds.`);
  return 0;
}
