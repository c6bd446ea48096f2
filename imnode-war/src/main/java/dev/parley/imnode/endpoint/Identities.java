package dev.parley.imnode.endpoint;

import dev.parley.common.auth.VerifiedToken;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.UserView;
import dev.parley.common.user.User;
import dev.parley.common.user.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

/**
 * The Parley user behind a verified token: the gateway's tokens name a user id, and carry the
 * user's name and nickname (neither ever changes), so a connect needs no query; a local token
 * without them (an older gateway's) is looked up. An external identity provider's subject gets an
 * account on first use.
 */
@ApplicationScoped
public class Identities {

  @Inject UserStore users;

  public UserView userOf(VerifiedToken token) {
    if (token.issuer().local()) {
      if (token.profileNickname().isPresent()) {
        return new UserView(
            Long.parseLong(token.subject()), token.username(), token.profileNickname().get());
      }
      return users
          .find(Long.parseLong(token.subject()))
          .map(User::view)
          .orElseThrow(() -> new ParleyException(ErrorCode.USER_NOT_FOUND, "The account is gone"));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return users
            .provisionExternal(token.issuer().issuer(), token.subject(), token.username())
            .view();
      } catch (PersistenceException | TransactionalException e) {
        // Another first connection of the same subject (or of another subject with the same
        // name) won the insert; the next round finds that account or takes the next free name.
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }
}
