package dev.parley.common.room;

import dev.parley.common.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Owns JPA access to {@link Room}s and {@link Membership}s. A room's member count is kept in its
 * row, updated in the same transaction as the membership it counts, so that nothing has to count
 * the memberships of a large room. Every method runs in a JTA transaction (a connect reads the
 * user's rooms without one, through {@code contact.ContactStore}, which says why).
 */
@ApplicationScoped
@Transactional
public class RoomStore {

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  /** Creates a room with its creator as the first member. */
  public Room create(String name, long creatorId) {
    Room room = new Room(name, creatorId);
    em.persist(room);
    em.flush();
    em.persist(new Membership(room.id(), creatorId));
    return room;
  }

  public Optional<Room> find(long roomId) {
    return Optional.ofNullable(em.find(Room.class, roomId));
  }

  /** Adds a member and counts it; false when the user already was one. */
  public boolean join(long roomId, long userId) {
    if (isMember(roomId, userId)) {
      return false;
    }
    em.persist(new Membership(roomId, userId));
    addToCount(roomId, 1);
    return true;
  }

  /** Removes a member and uncounts it; false when the user was not one. */
  public boolean leave(long roomId, long userId) {
    Membership m = em.find(Membership.class, new Membership.Key(roomId, userId));
    if (m == null) {
      return false;
    }
    em.remove(m);
    addToCount(roomId, -1);
    return true;
  }

  /**
   * One atomic update of the row (not read-modify-write), so that concurrent joins on any node
   * count correctly; it also serialises a room's joins and leaves on that row until commit.
   */
  private void addToCount(long roomId, int delta) {
    em.createQuery("update Room r set r.memberCount = r.memberCount + :delta where r.id = :room")
        .setParameter("delta", delta)
        .setParameter("room", roomId)
        .executeUpdate();
  }

  /** The room's member count as of this transaction (read from the database, not the entity). */
  public long memberCount(long roomId) {
    return em.createQuery("select r.memberCount from Room r where r.id = :room", Integer.class)
        .setParameter("room", roomId)
        .getResultStream()
        .findFirst()
        .orElse(0);
  }

  public boolean isMember(long roomId, long userId) {
    return em.find(Membership.class, new Membership.Key(roomId, userId)) != null;
  }

  /**
   * A page of a room's members in user id order: at most {@code max} with an id greater than {@code
   * afterUserId} (0 for the first page). Reads one index range of the membership key.
   */
  public List<User> membersAfter(long roomId, long afterUserId, int max) {
    return em.createQuery(
            "select u from User u, Membership m where m.userId = u.id and m.roomId = :room"
                + " and m.userId > :after order by m.userId",
            User.class)
        .setParameter("room", roomId)
        .setParameter("after", afterUserId)
        .setMaxResults(max)
        .getResultList();
  }

  public Set<Long> roomIdsOf(long userId) {
    return new HashSet<>(
        em.createQuery("select m.roomId from Membership m where m.userId = :user", Long.class)
            .setParameter("user", userId)
            .getResultList());
  }

  /** Every room with its member count, and whether {@code userId} has joined it. */
  public List<RoomSummary> directory(long userId) {
    Set<Long> mine = roomIdsOf(userId);
    return em.createQuery(
            "select r.id, r.name, r.memberCount from Room r order by r.id", Object[].class)
        .getResultStream()
        .map(
            row ->
                new RoomSummary(
                    (Long) row[0],
                    (String) row[1],
                    ((Number) row[2]).longValue(),
                    mine.contains((Long) row[0])))
        .toList();
  }
}
