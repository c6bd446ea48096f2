package dev.parley.common.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connect query on the embedded database (H2 in the MySQL mode the embedded profile uses), with
 * the schema's own migrations: a user's circle read alone and read in a batch agree, whatever the
 * batch's size and padding.
 */
class ContactStoreTest {

  private final ContactStore store = new ContactStore();

  @BeforeEach
  void schema() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:mem:"
            + UUID.randomUUID()
            + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1");
    Flyway.configure(ContactStore.class.getClassLoader())
        .dataSource(h2)
        .locations("classpath:db/migration")
        .placeholders(Map.of("table_options", ""))
        .load()
        .migrate();
    store.dataSource = h2;
    // Users 1..100. Room 1: users 1, 2, 3 (small). Room 2: users 3 and 4..100 (98 members).
    // Direct conversations: 5 with 6, 6 with 5.
    try (Connection db = h2.getConnection();
        Statement sql = db.createStatement()) {
      sql.execute(
          "insert into rooms (id, name, created_by, created_at, member_count) values"
              + " (1, 'small', 1, 0, 3), (2, 'big', 3, 0, 98)");
      sql.execute(
          "insert into memberships (room_id, user_id, joined_at) values (1, 1, 0), (1, 2, 0),"
              + " (1, 3, 0), (2, 3, 0)");
      for (long user = 4; user <= 100; user++) {
        sql.execute(
            "insert into memberships (room_id, user_id, joined_at) values (2, " + user + ", 0)");
      }
      sql.execute(
          "insert into direct_conversations (user_id, conversation, other_user_id) values"
              + " (5, 'dm:5:6', 6), (6, 'dm:5:6', 5)");
    }
  }

  @Test
  void circleOf_readsRoomsSmallRoomContactsAndDirectPartners() {
    assertEquals(new Circle(Set.of(1L), Set.of(1L, 2L, 3L)), store.circleOf(1, 50));
    assertEquals(new Circle(Set.of(1L, 2L), Set.of(1L, 2L, 3L)), store.circleOf(3, 50));
    assertEquals(new Circle(Set.of(2L), Set.of(6L)), store.circleOf(5, 50));
    assertEquals(new Circle(Set.of(), Set.of()), store.circleOf(101, 50));
  }

  @Test
  void circleOf_countsMembersOfRoomsUpToTheLimit() {
    // Room 2's 98 members (5 itself and 6 among them); at a limit below its size, only 6.
    assertEquals(98, store.circleOf(5, 98).contacts().size());
    assertEquals(Set.of(6L), store.circleOf(5, 97).contacts());
  }

  @Test
  void circlesOf_agreesWithCircleOf_forBatchesOfEverySize() {
    for (int size : new int[] {1, 2, 4, 5, 16, 17, 64, 65, 101}) {
      List<Long> users = new ArrayList<>();
      for (long user = 1; user <= size; user++) {
        users.add(user);
      }
      Map<Long, Circle> circles = store.circlesOf(users, 50);
      assertEquals(size, circles.size(), "batch of " + size);
      for (long user : users) {
        assertEquals(store.circleOf(user, 50), circles.get(user), "user " + user + " of " + size);
      }
    }
  }

  @Test
  void circlesOf_readsAUserNamedTwiceOnce() {
    assertEquals(
        Map.of(1L, store.circleOf(1, 50), 5L, store.circleOf(5, 50)),
        store.circlesOf(List.of(5L, 1L, 5L), 50));
  }

  @Test
  void listSize_padsToTheNextStatementSize() {
    assertEquals(1, ContactStore.listSize(1));
    assertEquals(4, ContactStore.listSize(2));
    assertEquals(16, ContactStore.listSize(5));
    assertEquals(64, ContactStore.listSize(64));
    assertThrows(IllegalArgumentException.class, () -> ContactStore.listSize(65));
  }
}
