package dev.parley.common.user;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Owns JPA access to {@link User}s. Every method runs in a JTA transaction (joining the caller's):
 * outside one, the container's non-transactional entity manager is not safe on the node's WebSocket
 * listener threads (see {@code contact.ContactStore}).
 */
@ApplicationScoped
@Transactional
public class UserStore {

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  public Optional<User> find(long id) {
    return Optional.ofNullable(em.find(User.class, id));
  }

  public Optional<User> findByUsername(String username) {
    return em.createQuery("select u from User u where u.username = :name", User.class)
        .setParameter("name", username)
        .getResultStream()
        .findFirst();
  }

  public List<User> findAll(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return em.createQuery("select u from User u where u.id in :ids", User.class)
        .setParameter("ids", ids)
        .getResultList();
  }

  /**
   * Creates a local account.
   *
   * @throws ParleyException {@code USERNAME_TAKEN} when the name is in use
   */
  public User createLocal(String username, String nickname, String passwordHash) {
    if (findByUsername(username).isPresent()) {
      throw new ParleyException(ErrorCode.USERNAME_TAKEN);
    }
    User user = User.local(username, nickname, passwordHash);
    em.persist(user);
    em.flush();
    return user;
  }

  /**
   * The account that belongs to a subject of an external identity provider, created on first use
   * with the provider's user name (or that name with a number added when a local account has it).
   */
  public User provisionExternal(String issuer, String subject, String preferredName) {
    Optional<User> known =
        em.createQuery(
                "select u from User u where u.externalIssuer = :iss and u.externalSubject = :sub",
                User.class)
            .setParameter("iss", issuer)
            .setParameter("sub", subject)
            .getResultStream()
            .findFirst();
    if (known.isPresent()) {
      return known.get();
    }
    String base = Usernames.sanitize(preferredName);
    String name = base;
    for (int n = 2; findByUsername(name).isPresent(); n++) {
      String suffix = "-" + n;
      name = base.substring(0, Math.min(base.length(), 32 - suffix.length())) + suffix;
    }
    User user = User.external(issuer, subject, name, preferredName);
    em.persist(user);
    em.flush();
    return user;
  }
}
