/**
 * The gateway's tokens: the RS256 signing key (generated at first start, never shipped), issuing
 * MicroProfile JWTs, publishing the public key set at {@code /.well-known/jwks.json}, and feeding
 * the same public key to MicroProfile JWT so that the gateway's own resources verify them.
 */
package dev.parley.gateway.token;
