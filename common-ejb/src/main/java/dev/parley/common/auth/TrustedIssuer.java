package dev.parley.common.auth;

import java.net.URI;

/**
 * An issuer whose tokens are accepted, and where its public key set is. A {@code local} issuer is
 * the Parley gateway, whose {@code sub} is a Parley user id; any other is an external identity
 * provider whose subjects are given accounts on first use.
 */
public record TrustedIssuer(String issuer, URI jwks, boolean local) {}
