package dev.parley.common.auth;

import java.time.Instant;

/** What a verified token says: who issued it, about whom, and until when it holds. */
public record VerifiedToken(
    TrustedIssuer issuer, String subject, String username, Instant expiresAt) {}
