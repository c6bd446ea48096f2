package dev.parley.gateway.login;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.user.User;
import dev.parley.common.user.UserStore;
import dev.parley.common.user.Usernames;
import dev.parley.gateway.token.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The rules of signing up and signing in. */
@ApplicationScoped
public class Accounts {

  @Inject UserStore users;
  @Inject PasswordHasher hasher;
  @Inject LoginThrottle throttle;
  @Inject TokenIssuer tokens;

  /** How long after a sign-in its token can still be renewed; then the user signs in again. */
  @Inject
  @ConfigProperty(name = "parley.gateway.session.max-age", defaultValue = "P7D")
  Duration sessionMaxAge;

  public User register(Credentials c) {
    validate(c);
    String nickname = nickname(c);
    return users.createLocal(c.username(), nickname, hasher.hash(c.password()));
  }

  public SignedIn login(Credentials c, String address) {
    validate(c);
    if (throttle.isBlocked(c.username(), address)) {
      throw new ParleyException(ErrorCode.TOO_MANY_ATTEMPTS);
    }
    Optional<User> user = users.findByUsername(c.username());
    boolean ok =
        user.flatMap(User::passwordHash).map(h -> hasher.matches(c.password(), h)).orElse(false);
    if (user.isEmpty()) {
      hasher.spendVerificationTime(c.password());
    }
    if (!ok) {
      throttle.recordFailure(c.username(), address);
      throw new ParleyException(ErrorCode.INVALID_CREDENTIALS);
    }
    throttle.recordSuccess(c.username());
    return signedIn(user.get());
  }

  /** Signs in, creating the account first when the name is free (as go-im's login-register). */
  public SignedIn loginOrRegister(Credentials c, String address) {
    validate(c);
    if (users.findByUsername(c.username()).isEmpty()) {
      try {
        return signedIn(register(c));
      } catch (ParleyException e) {
        if (e.code() != ErrorCode.USERNAME_TAKEN) {
          throw e;
        }
        // Someone registered the name a moment ago: sign in against that account instead.
      }
    }
    return login(c, address);
  }

  /**
   * A fresh token continuing a session whose current token is still valid (the caller has verified
   * it): same user, same sign-in time.
   *
   * @param userId the token's subject
   * @param authTime when the session's sign-in happened
   * @throws ParleyException {@code UNAUTHORIZED} when the account is gone, {@code SESSION_EXPIRED}
   *     when the sign-in is older than {@code parley.gateway.session.max-age}
   */
  public SignedIn refresh(long userId, Instant authTime) {
    if (!Instant.now().isBefore(authTime.plus(sessionMaxAge))) {
      throw new ParleyException(ErrorCode.SESSION_EXPIRED);
    }
    User user =
        users
            .find(userId)
            .orElseThrow(
                () -> new ParleyException(ErrorCode.UNAUTHORIZED, "The account no longer exists"));
    TokenIssuer.IssuedToken token = tokens.issue(user, authTime);
    return new SignedIn(token.token(), "Bearer", token.expiresInSeconds(), user.view());
  }

  private SignedIn signedIn(User user) {
    TokenIssuer.IssuedToken token = tokens.issue(user);
    return new SignedIn(token.token(), "Bearer", token.expiresInSeconds(), user.view());
  }

  private static void validate(Credentials c) {
    if (c == null || !Usernames.isValid(c.username())) {
      throw new ParleyException(
          ErrorCode.INVALID_FIELD, "'username' must be 3 to 32 characters of A-Z a-z 0-9 _ . -");
    }
    if (!Usernames.isValidPassword(c.password())) {
      throw new ParleyException(ErrorCode.INVALID_FIELD, "'password' must be 8 to 128 characters");
    }
    if (c.nickname() != null && c.nickname().strip().length() > 64) {
      throw new ParleyException(
          ErrorCode.INVALID_FIELD, "'nickname' must be at most 64 characters");
    }
  }

  private static String nickname(Credentials c) {
    return c.nickname() == null || c.nickname().isBlank() ? c.username() : c.nickname().strip();
  }
}
