/** Identity: who is calling (users, API keys, the admin token, bootstrap keys) resolved to a Principal. */
export { createAuthenticator, presentedKey, type AuthenticatorOptions } from './authenticator.js';
