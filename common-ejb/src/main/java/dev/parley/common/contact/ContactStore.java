package dev.parley.common.contact;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a user's contacts in one round trip to the database: the members of the user's rooms of at
 * most a given size, and the other participant of each of the user's direct conversations. It runs
 * on every first connection of a user (its presence is announced to them), so it is a single {@code
 * UNION} of two indexed lookups, in SQL that MySQL, MariaDB and H2 all accept, and starts no
 * transaction of its own.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ContactStore {

  private static final String CONTACTS =
      "select other.user_id from memberships mine"
          + " join rooms r on r.id = mine.room_id"
          + " join memberships other on other.room_id = mine.room_id"
          + " where mine.user_id = ?1 and r.member_count <= ?2"
          + " union"
          + " select d.other_user_id from direct_conversations d where d.user_id = ?3";

  /** {@link #CONTACTS} after the user's rooms, each row tagged: 0 for a room, 1 for a contact. */
  private static final String CIRCLE =
      "select 0, m.room_id from memberships m where m.user_id = ?1"
          + " union"
          + " select 1, other.user_id from memberships mine"
          + " join rooms r on r.id = mine.room_id"
          + " join memberships other on other.room_id = mine.room_id"
          + " where mine.user_id = ?2 and r.member_count <= ?3"
          + " union"
          + " select 1, d.other_user_id from direct_conversations d where d.user_id = ?4";

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  /**
   * The ids of everyone who shares a room of at most {@code maxRoomSize} members or a direct
   * conversation with {@code userId}, each once (the user included, when in such a room). Rooms
   * above that size are skipped by the query itself, so their members are never read.
   */
  public List<Long> contactsOf(long userId, long maxRoomSize) {
    List<?> rows =
        em.createNativeQuery(CONTACTS)
            .setParameter(1, userId)
            .setParameter(2, (int) Math.min(maxRoomSize, Integer.MAX_VALUE))
            .setParameter(3, userId)
            .getResultList();
    return rows.stream().map(row -> ((Number) row).longValue()).toList();
  }

  /**
   * The user's rooms and contacts ({@link #contactsOf}) in one round trip: what a connect needs,
   * for one query instead of two.
   */
  public Circle circleOf(long userId, long maxRoomSize) {
    List<?> rows =
        em.createNativeQuery(CIRCLE)
            .setParameter(1, userId)
            .setParameter(2, userId)
            .setParameter(3, (int) Math.min(maxRoomSize, Integer.MAX_VALUE))
            .setParameter(4, userId)
            .getResultList();
    Set<Long> rooms = new HashSet<>();
    Set<Long> contacts = new HashSet<>();
    for (Object row : rows) {
      Object[] columns = (Object[]) row;
      long id = ((Number) columns[1]).longValue();
      (((Number) columns[0]).intValue() == 0 ? rooms : contacts).add(id);
    }
    return new Circle(rooms, contacts);
  }
}
