package dev.parley.common.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What a verified token says: who issued it, about whom, and until when it holds.
 *
 * @param nickname the {@code nickname} claim when the token also names its user with {@code upn}
 *     (the gateway's tokens do), else {@code null}: with both, a node knows the user without asking
 *     the database
 */
public record VerifiedToken(
    TrustedIssuer issuer, String subject, String username, Instant expiresAt, String nickname) {

  /** A token without profile claims. */
  public VerifiedToken(TrustedIssuer issuer, String subject, String username, Instant expiresAt) {
    this(issuer, subject, username, expiresAt, null);
  }

  /** The {@code nickname} claim of a token that also has {@code upn}. */
  public Optional<String> profileNickname() {
    return Optional.ofNullable(nickname);
  }
}
