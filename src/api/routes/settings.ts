import { z } from 'zod';
import { SettingsSchema, SwitchboardError } from '../../shared/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/** Settings: one validated document (security policy, activity retention); MCPBox's security-policy view beside it. */

const TAG = 'settings';

const SettingsView = z.object({ settings: SettingsSchema, updated_at: z.string().nullable().describe('null while every value is a default') });

/** The security-policy fields: everything but the activity retention. */
const SECURITY_KEYS = Object.keys(SettingsSchema.shape).filter((k) => k !== 'activity_retention_days');
const SecurityPolicy = SettingsSchema.omit({ activity_retention_days: true });

const Patch = z.record(z.string(), z.unknown()).describe('Any subset of the settings; null resets a field to its default. Unknown keys and bad values: 422 with every problem');

export function settingsRoutes(app: ApiApp, deps: ApiDeps): void {
  const settings = () => deps.admin.settings;
  const policyOf = (s: z.infer<typeof SettingsSchema>) => Object.fromEntries(SECURITY_KEYS.map((k) => [k, s[k as keyof typeof s]])) as z.infer<typeof SecurityPolicy>;

  app.get(
    '/api/settings',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get all settings', security: SECURED, response: { 200: SettingsView, ...GUARDED_ERRORS } } },
    async () => settings().view(),
  );

  app.patch(
    '/api/settings',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Change settings (partial, validated, all or nothing)', security: SECURED, body: Patch, response: { 200: SettingsView, ...GUARDED_ERRORS, 422: ErrorEnvelope } } },
    async (req) => settings().update(req.body, principalOf(req)),
  );

  app.get(
    '/api/settings/security-policy',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get the security policy (the security fields of the settings)', security: SECURED, response: { 200: SecurityPolicy, ...GUARDED_ERRORS } } },
    async () => policyOf(settings().get()),
  );

  app.patch(
    '/api/settings/security-policy',
    { preHandler: guard(deps, 'admin'), schema: { tags: [TAG], summary: 'Change the security policy (partial; other settings keys: 422)', security: SECURED, body: Patch, response: { 200: SecurityPolicy, ...GUARDED_ERRORS, 422: ErrorEnvelope } } },
    async (req) => {
      const other = Object.keys(req.body).filter((k) => !SECURITY_KEYS.includes(k));
      if (other.length) throw new SwitchboardError('SWB_SETTINGS_INVALID', `Not part of the security policy: ${other.join(', ')} (use PATCH /api/settings)`, { issues: other.map((path) => ({ path, message: 'not a security-policy setting' })) });
      return policyOf((await settings().update(req.body, principalOf(req))).settings);
    },
  );
}
