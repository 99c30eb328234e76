/**
 * Secrets: the master key, AES-256-GCM sealing of per-server values, the in-memory vault of decrypted
 * values, and `${secret:NAME}` references in server configurations. See README.md.
 */
export { loadMasterKey, decodeMasterKey, keyIdOf, MASTER_KEY_ENV, MASTER_KEY_FILE, type MasterKey } from './master-key.js';
export { seal, unseal, deriveKey, sign, verifySignature, type SealedValue } from './cipher.js';
export { createSecretVault, type SecretVault, type SecretMeta, type SealedSecret } from './vault.js';
export { SECRET_NAME, referencesIn, secretReferences, substituteSecrets, onlyReferences } from './references.js';
