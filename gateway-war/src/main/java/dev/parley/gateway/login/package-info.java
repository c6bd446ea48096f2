/**
 * Signing up and signing in: validating credentials, hashing passwords with a slow salted hash,
 * throttling repeated failures, and handing out a token. {@link dev.parley.gateway.login.Accounts}
 * holds the rules; {@link dev.parley.gateway.login.AuthResource} only speaks HTTP.
 */
package dev.parley.gateway.login;
