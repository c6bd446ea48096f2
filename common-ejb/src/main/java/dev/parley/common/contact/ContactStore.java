package dev.parley.common.contact;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads who a user's contacts are, and their rooms, in one round trip to the database: the members
 * of the user's rooms of at most a given size, the other participant of each of the user's direct
 * conversations. It runs on every connect, so it is a single {@code UNION} of indexed lookups in
 * SQL that MySQL, MariaDB and H2 all accept, sent over plain JDBC on a pooled connection: no entity
 * manager and no JTA transaction of its own (inside a caller's transaction the connection is the
 * one enlisted in it).
 *
 * <p>Not JPA without a transaction: the container's non-transactional entity manager belongs to the
 * thread's component invocation, which the managed threads of the node's WebSocket listener share;
 * under a burst of connects, queries failed with "Attempting to execute an operation on a closed
 * EntityManager" (21 to 48 connects in each run of 6,000 on one node, all on one listener thread).
 */
@ApplicationScoped
public class ContactStore {

  /**
   * The user's rooms, then their contacts: members of their rooms at or below a size, and their
   * direct-conversation partners. Each row is tagged: 0 for a room, 1 for a contact.
   */
  private static final String CIRCLE =
      "select 0, m.room_id from memberships m where m.user_id = ?"
          + " union"
          + " select 1, other.user_id from memberships mine"
          + " join rooms r on r.id = mine.room_id"
          + " join memberships other on other.room_id = mine.room_id"
          + " where mine.user_id = ? and r.member_count <= ?"
          + " union"
          + " select 1, d.other_user_id from direct_conversations d where d.user_id = ?";

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  /**
   * The rooms of {@code userId}, and everyone who shares a room of at most {@code maxRoomSize}
   * members or a direct conversation with them, each once (the user included, when in such a room),
   * in one round trip. Rooms above that size are skipped by the query itself, so their members are
   * never read.
   */
  public Circle circleOf(long userId, long maxRoomSize) {
    Set<Long> rooms = new HashSet<>();
    Set<Long> contacts = new HashSet<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query = db.prepareStatement(CIRCLE)) {
      query.setLong(1, userId);
      query.setLong(2, userId);
      query.setLong(3, maxRoomSize);
      query.setLong(4, userId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          (rows.getInt(1) == 0 ? rooms : contacts).add(rows.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new ContactsUnavailable(e);
    }
    return new Circle(rooms, contacts);
  }

  /** The database could not be read. */
  public static class ContactsUnavailable extends RuntimeException {
    ContactsUnavailable(SQLException cause) {
      super("could not read contacts: " + cause.getMessage(), cause);
    }
  }
}
