import { z } from 'zod';
import { MAX_KEY_NAME, USERNAME_PATTERN } from '../../admin/index.js';
import { ROLES, SCOPES } from '../../shared/index.js';

/** Request and response shapes shared by the auth, users and keys route groups. */

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

export const Username = z.string().regex(USERNAME_PATTERN, 'a user name is 1-64 characters: letters, digits and _ . @ -, starting with a letter or digit').describe('Unique, case-insensitive');
export const NewPassword = z.string().min(MIN_PASSWORD).max(MAX_PASSWORD).describe(`${MIN_PASSWORD}-${MAX_PASSWORD} characters`);
export const Role = z.enum(ROLES);
export const Scope = z.enum(SCOPES);
const Time = z.string().describe('ISO-8601 UTC');

export const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    role: Role,
    disabled: z.boolean(),
    locked_until: Time.nullable().describe('Set while the account is locked after repeated failed logins'),
    created_at: Time,
    updated_at: Time,
  })
  .describe('User');

export const Session = z
  .object({
    access_token: z.string().describe('JWT (HS256); send as "Authorization: Bearer <token>"'),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds the access token is valid (900)'),
    refresh_token: z.string().describe('Opaque; exchange at /auth/refresh for a new pair. Single use'),
    refresh_expires_in: z.number().int().describe('Seconds the refresh token is valid (7 days)'),
    user: UserView,
  })
  .describe('Session');

export const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(MAX_PASSWORD) });
export const SetupBody = z.object({ username: Username, password: NewPassword });
export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(200) });
export const LogoutBody = z.object({ refresh_token: z.string().min(1).max(200).optional().describe('End this login; default: the login of the access token used') }).optional();
export const SetupStatus = z.object({ setup_required: z.boolean().describe('True until the first admin exists') });
export const LogoutResult = z.object({ revoked: z.boolean().describe('False when there was no login to end (e.g. an API key)') });
export const ChangePasswordBody = z.object({ current_password: z.string().min(1).max(MAX_PASSWORD), new_password: NewPassword });

export const Me = z
  .object({
    kind: z.enum(['user', 'api_key', 'admin_token', 'bootstrap', 'anonymous', 'local']),
    id: z.string(),
    name: z.string(),
    role: Role.nullable(),
    scopes: z.array(Scope),
    servers: z.array(z.string()).nullable().describe('Server allow-list (globs); null: every server'),
    tools: z.array(z.string()).nullable().describe('Tool allow-list (globs); null: every tool'),
    user: UserView.nullable(),
  })
  .describe('Caller');

export const NewUserBody = z.object({ username: Username, password: NewPassword, role: Role.default('viewer') });
export const UserPatchBody = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
    password: NewPassword.optional().describe("Reset the password; ends all the user's logins"),
    unlock: z.boolean().optional().describe('Lift a lockout after failed logins'),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field');

export const IdParams = z.object({ id: z.string().min(1).max(100) });
export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

const Globs = z.array(z.string().min(1).max(200)).max(100);

export const KeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, for recognising it'),
    scopes: z.array(Scope),
    servers: z.array(z.string()).nullable().describe('Server allow-list (globs on whole names); null: every server'),
    tools: z.array(z.string()).nullable().describe('Tool allow-list (globs on whole names); null: every tool'),
    expires_at: Time.nullable(),
    created_by: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
    created_at: Time,
    revoked_at: Time.nullable(),
    last_used_at: Time.nullable().describe('Written in batches: up to a few seconds behind'),
    status: z.enum(['active', 'revoked', 'expired']),
  })
  .describe('ApiKey');

export const NewKeyBody = z.object({
  name: z.string().min(1).max(MAX_KEY_NAME),
  scopes: z.array(Scope).min(1).describe('Non-admins can only give scopes they hold'),
  servers: Globs.optional().describe('Allow-list of server names (globs such as "github" or "db-*"); default: every server'),
  tools: Globs.optional().describe('Allow-list of exposed tool names (globs such as "github__get_*"); default: every tool'),
  expires_at: z.string().optional().describe('ISO-8601 time in the future'),
  expires_in: z.string().optional().describe('Relative expiry: 90m, 12h, 30d, 8w'),
});
export const CreatedKey = z.object({ key: KeyView, secret: z.string().describe('The API key. Shown once: it cannot be retrieved again') });

export const AdminTokenStatus = z.object({ configured: z.boolean(), rotated_at: Time.nullable() });
export const RotatedAdminToken = z.object({ token: z.string().describe('Never expires, full access. Shown once'), rotated_at: Time });
