/**
 * Bench users as the gateway knows them: accounts made (or signed in) through {@code
 * /api/auth/login-register}, and the node {@code /api/route} hands each of them. Only the real
 * gateway API is used, the way a client would.
 */
package dev.parley.bench.account;
