package dev.parley.imnode.room;

import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One page of a room's members in user id order, with the room's member count and, when more
 * members follow, the cursor of the next page: the last user id of this one.
 */
record MemberPage(List<UserView> members, long memberCount, Optional<Long> next) {

  /**
   * The page made from up to {@code size + 1} members read after the previous cursor: the extra one
   * only tells that more follow.
   */
  static MemberPage of(List<UserView> fetched, int size, long memberCount) {
    if (fetched.size() <= size) {
      return new MemberPage(List.copyOf(fetched), memberCount, Optional.empty());
    }
    List<UserView> page = List.copyOf(fetched.subList(0, size));
    return new MemberPage(page, memberCount, Optional.of(page.get(size - 1).id()));
  }

  List<Long> ids() {
    return members.stream().map(UserView::id).toList();
  }

  /**
   * Adds {@code members:[{id, username, nickname, online}]}, {@code memberCount}, {@code next?}.
   */
  JsonObjectBuilder addTo(JsonObjectBuilder result, Set<Long> online) {
    JsonArrayBuilder array = ServerFrames.array();
    for (UserView u : members) {
      array.add(
          ServerFrames.object()
              .add("id", u.id())
              .add("username", u.username())
              .add("nickname", u.nickname())
              .add("online", online.contains(u.id())));
    }
    result.add("members", array).add("memberCount", memberCount);
    next.ifPresent(n -> result.add("next", n));
    return result;
  }
}
