package dev.parley.gateway.login;

import dev.parley.common.protocol.UserView;

/** The answer to a successful sign-in. */
public record SignedIn(String token, String tokenType, long expiresIn, UserView user) {}
