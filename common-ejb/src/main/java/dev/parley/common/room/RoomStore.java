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

/** Owns JPA access to {@link Room}s and {@link Membership}s. */
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

  /** Adds a member; false when the user already was one. */
  public boolean join(long roomId, long userId) {
    if (isMember(roomId, userId)) {
      return false;
    }
    em.persist(new Membership(roomId, userId));
    return true;
  }

  /** Removes a member; false when the user was not one. */
  public boolean leave(long roomId, long userId) {
    Membership m = em.find(Membership.class, new Membership.Key(roomId, userId));
    if (m == null) {
      return false;
    }
    em.remove(m);
    return true;
  }

  public boolean isMember(long roomId, long userId) {
    return em.find(Membership.class, new Membership.Key(roomId, userId)) != null;
  }

  public List<User> members(long roomId) {
    return em.createQuery(
            "select u from User u, Membership m where m.userId = u.id and m.roomId = :room"
                + " order by u.username",
            User.class)
        .setParameter("room", roomId)
        .getResultList();
  }

  public Set<Long> roomIdsOf(long userId) {
    return new HashSet<>(
        em.createQuery("select m.roomId from Membership m where m.userId = :user", Long.class)
            .setParameter("user", userId)
            .getResultList());
  }

  /** Everyone who shares at least one room with {@code userId} (the user included). */
  public List<Long> roommatesOf(long userId) {
    return em.createQuery(
            "select distinct other.userId from Membership mine, Membership other"
                + " where mine.userId = :user and other.roomId = mine.roomId",
            Long.class)
        .setParameter("user", userId)
        .getResultList();
  }

  /** Every room with its member count, and whether {@code userId} has joined it. */
  public List<RoomSummary> directory(long userId) {
    Set<Long> mine = roomIdsOf(userId);
    return em.createQuery(
            "select r.id, r.name, (select count(m) from Membership m where m.roomId = r.id)"
                + " from Room r order by r.id",
            Object[].class)
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
