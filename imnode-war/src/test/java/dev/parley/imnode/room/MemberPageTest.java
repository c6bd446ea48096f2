package dev.parley.imnode.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MemberPageTest {

  private static List<UserView> users(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(id -> new UserView(id, "u" + id, "U" + id))
        .toList();
  }

  @Test
  void of_aRoomThatFitsHasNoNext() {
    MemberPage page = MemberPage.of(users(1, 3), 3, 3);
    assertEquals(List.of(1L, 2L, 3L), page.ids());
    assertEquals(Optional.empty(), page.next());
  }

  @Test
  void of_anExtraMemberMeansMoreFollowAfterTheLastIdShown() {
    MemberPage page = MemberPage.of(users(5, 9), 4, 12);
    assertEquals(List.of(5L, 6L, 7L, 8L), page.ids());
    assertEquals(Optional.of(8L), page.next());
    assertEquals(12, page.memberCount());
  }

  @Test
  void of_anEmptyReadIsAnEmptyLastPage() {
    MemberPage page = MemberPage.of(List.of(), 10, 7);
    assertTrue(page.members().isEmpty());
    assertEquals(Optional.empty(), page.next());
  }

  @Test
  void addTo_writesTheV1MembersPlusCountAndNextOnlyWhenMoreFollow() {
    JsonObject last =
        MemberPage.of(users(1, 2), 5, 2).addTo(ServerFrames.object(), Set.of(2L)).build();
    assertEquals(Set.of("members", "memberCount"), last.keySet());
    assertEquals(2, last.getInt("memberCount"));
    JsonObject first = last.getJsonArray("members").getJsonObject(0);
    assertEquals(Set.of("id", "username", "nickname", "online"), first.keySet());
    assertFalse(first.getBoolean("online"));
    assertTrue(last.getJsonArray("members").getJsonObject(1).getBoolean("online"));

    JsonObject more =
        MemberPage.of(users(1, 3), 2, 3).addTo(ServerFrames.object(), Set.of()).build();
    assertEquals(2, more.getJsonArray("members").size());
    assertEquals(2, more.getJsonNumber("next").longValue());
  }
}
