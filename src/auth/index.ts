/** Identity: who is calling (users, API keys, the admin token, bootstrap keys) resolved to a Principal, and the login mechanics. */
export { createIdentity, presentedKey, type Identity, type IdentityOptions, type AuthenticatorOptions } from './identity.js';
export { Sessions, REFRESH_TOKEN_TTL_S, type TokenPair } from './sessions.js';
export { ACCESS_TOKEN_TTL_S } from './access-tokens.js';
export { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-limiter.js';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.js';
export { globProblems, MAX_GLOBS } from './globs.js';
export { keyPrincipal, userPrincipal, type AuthLog } from './credential-cache.js';
export { SIGNING_KEY_FILE } from './signing-key.js';
