import type { Kysely } from 'kysely';

/** Table shapes for encrypted per-server secrets and the settings document. */
export interface SecretsTables {}

/** Queries for encrypted per-server secrets and the settings document; the only code that touches these tables. */
export interface SecretsRepo {}

export function createSecretsRepo(_db: Kysely<SecretsTables>): SecretsRepo {
  return {};
}
