package dev.parley.common.contact;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads who a user's contacts are, and their rooms, in one round trip to the database (or those of
 * the users of a burst of connects, together): the members of the user's rooms of at most a given
 * size, the other participant of each of the user's direct conversations. It runs on every connect,
 * so it is a single {@code UNION} of indexed lookups in SQL that MySQL, MariaDB and H2 all accept,
 * sent over plain JDBC on a pooled connection: no entity manager and no JTA transaction of its own
 * (inside a caller's transaction the connection is the one enlisted in it).
 *
 * <p>Not JPA without a transaction: the container's non-transactional entity manager belongs to the
 * thread's component invocation, which the managed threads of the node's WebSocket listener share;
 * under a burst of connects, queries failed with "Attempting to execute an operation on a closed
 * EntityManager" (21 to 48 connects in each run of 6,000 on one node, all on one listener thread).
 */
@ApplicationScoped
public class ContactStore {

  /**
   * The users' rooms, then their contacts: members of their rooms at or below a size, and their
   * direct-conversation partners. Each row is tagged (0 for a room, 1 for a contact) and names the
   * user it belongs to; {@code %s} is a list of as many {@code ?} as there are users.
   */
  private static final String CIRCLES =
      "select 0, m.user_id, m.room_id from memberships m where m.user_id in (%1$s)"
          + " union"
          + " select 1, mine.user_id, other.user_id from memberships mine"
          + " join rooms r on r.id = mine.room_id"
          + " join memberships other on other.room_id = mine.room_id"
          + " where mine.user_id in (%1$s) and r.member_count <= ?"
          + " union"
          + " select 1, d.user_id, d.other_user_id from direct_conversations d"
          + " where d.user_id in (%1$s)";

  /**
   * The sizes a query's list of users is padded to (with repeats of its first user), so that four
   * statements serve every batch (a driver that caches prepared statements, as Connector/J does
   * here, parses each once).
   */
  static final int[] LIST_SIZES = {1, 4, 16, 64};

  /** The most users {@link #circlesOf} reads in one query; more take several. */
  public static final int MAX_USERS_PER_QUERY = LIST_SIZES[LIST_SIZES.length - 1];

  private static final String[] QUERIES = new String[LIST_SIZES.length];

  static {
    for (int i = 0; i < LIST_SIZES.length; i++) {
      QUERIES[i] =
          String.format(CIRCLES, String.join(", ", Collections.nCopies(LIST_SIZES[i], "?")));
    }
  }

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  /**
   * The rooms of {@code userId}, and everyone who shares a room of at most {@code maxRoomSize}
   * members or a direct conversation with them, each once (the user included, when in such a room),
   * in one round trip. Rooms above that size are skipped by the query itself, so their members are
   * never read.
   */
  public Circle circleOf(long userId, long maxRoomSize) {
    return circlesOf(List.of(userId), maxRoomSize).get(userId);
  }

  /**
   * {@link #circleOf} for several users at once: one round trip per {@link #MAX_USERS_PER_QUERY}
   * users, on one pooled connection (the connects of a burst, read together).
   *
   * @return a circle for each of {@code userIds} (empty for a user with no rooms and no contacts)
   */
  public Map<Long, Circle> circlesOf(Collection<Long> userIds, long maxRoomSize) {
    List<Long> users = List.copyOf(new LinkedHashSet<>(userIds));
    Map<Long, Set<Long>> rooms = new HashMap<>();
    Map<Long, Set<Long>> contacts = new HashMap<>();
    try (Connection db = dataSource.getConnection()) {
      for (int from = 0; from < users.size(); from += MAX_USERS_PER_QUERY) {
        List<Long> part = users.subList(from, Math.min(users.size(), from + MAX_USERS_PER_QUERY));
        read(db, part, maxRoomSize, rooms, contacts);
      }
    } catch (SQLException e) {
      throw new ContactsUnavailable(e);
    }
    Map<Long, Circle> circles = new HashMap<>();
    for (long user : users) {
      circles.put(
          user,
          new Circle(rooms.getOrDefault(user, Set.of()), contacts.getOrDefault(user, Set.of())));
    }
    return circles;
  }

  private static void read(
      Connection db,
      List<Long> users,
      long maxRoomSize,
      Map<Long, Set<Long>> rooms,
      Map<Long, Set<Long>> contacts)
      throws SQLException {
    int size = listSize(users.size());
    String sql = QUERIES[Arrays.binarySearch(LIST_SIZES, size)];
    try (PreparedStatement query = db.prepareStatement(sql)) {
      int p = 1;
      for (int list = 0; list < 3; list++) {
        for (int i = 0; i < size; i++) {
          query.setLong(p++, users.get(i < users.size() ? i : 0));
        }
        if (list == 1) {
          query.setLong(p++, maxRoomSize);
        }
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          (rows.getInt(1) == 0 ? rooms : contacts)
              .computeIfAbsent(rows.getLong(2), k -> new HashSet<>())
              .add(rows.getLong(3));
        }
      }
    }
  }

  /** The smallest of {@link #LIST_SIZES} that holds {@code users} (at most the largest). */
  static int listSize(int users) {
    for (int size : LIST_SIZES) {
      if (users <= size) {
        return size;
      }
    }
    throw new IllegalArgumentException("at most " + MAX_USERS_PER_QUERY + " users per query");
  }

  /** The database could not be read. */
  public static class ContactsUnavailable extends RuntimeException {
    ContactsUnavailable(SQLException cause) {
      super("could not read contacts: " + cause.getMessage(), cause);
    }
  }
}
