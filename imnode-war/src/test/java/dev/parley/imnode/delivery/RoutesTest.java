package dev.parley.imnode.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.imnode.cluster.Interest;
import dev.parley.imnode.cluster.NodeDirectory;
import dev.parley.imnode.cluster.Push;
import dev.parley.imnode.presence.OnlineUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutesTest {

  private final Map<String, List<String>> interest =
      Map.of("room:1", List.of("node-1"), "room:2", List.of("node-2", "node-3"));
  private final Map<Long, Set<String>> online =
      Map.of(10L, Set.of("node-1"), 11L, Set.of("node-2"), 12L, Set.of("node-2", "node-4"));

  private final List<Long> lookedUp = new ArrayList<>();
  private Routes routes;

  @BeforeEach
  void wire() {
    routes = new Routes();
    routes.interest =
        new Interest() {
          @Override
          public Collection<String> nodes(String conversation) {
            return interest.getOrDefault(conversation, List.of());
          }
        };
    routes.online =
        new OnlineUsers() {
          @Override
          public Set<String> nodesOf(long userId) {
            lookedUp.add(userId);
            return online.getOrDefault(userId, Set.of());
          }

          @Override
          public Set<Long> onlineAmong(Collection<Long> userIds) {
            Set<Long> found = new HashSet<>(userIds);
            found.retainAll(online.keySet());
            return found;
          }
        };
    routes.directory =
        new NodeDirectory() {
          @Override
          public Set<String> liveNodes() {
            return Set.of("node-1", "node-2", "node-3", "node-4", "node-5");
          }

          @Override
          public Set<String> knownNodes() {
            return Set.of("node-1", "node-2", "node-3", "node-4", "node-5");
          }
        };
    // Lookups by default here; the broadcast rule has tests of its own.
    routes.broadcastNodes = 0;
    routes.userLookupLimit = 2;
  }

  @Test
  void conversationPush_goesOnlyToInterestedNodes() {
    assertEquals(
        Set.of("node-2", "node-3"), routes.nodesFor(Push.toConversation("room:2", "{}", null)));
  }

  @Test
  void conversationNobodyFollows_goesNowhere() {
    assertEquals(Set.of(), routes.nodesFor(Push.toConversation("room:9", "{}", null)));
  }

  @Test
  void joinPush_alsoReachesTheJoinersNodes() {
    Push joined = Push.toConversation("room:1", "{}", null).afterJoining(12);
    assertEquals(Set.of("node-1", "node-2", "node-4"), routes.nodesFor(joined));
  }

  @Test
  void userPushAboutAConversation_goesOnlyToTheUsersNodesNotTheRoomsFollowers() {
    // A join in a large room: the joiner's connections hear of it and follow the room.
    Push joined = Push.toUsers(List.of(11L), "{}", null).about("room:1", null).afterJoining(11);
    assertEquals(Set.of("node-2"), routes.nodesFor(joined));
  }

  @Test
  void userPush_goesToTheUsersNodes() {
    assertEquals(
        Set.of("node-1", "node-2"), routes.nodesFor(Push.toUsers(List.of(10L, 11L), "{}", null)));
  }

  @Test
  void offlineUser_isReachedNowhere() {
    assertEquals(Set.of(), routes.nodesFor(Push.toUsers(List.of(99L), "{}", null)));
  }

  @Test
  void pushToManyUsers_goesToEveryLiveNode() {
    Push presence = Push.toUsers(List.of(10L, 11L, 12L), "{}", null);
    assertEquals(5, routes.nodesFor(presence).size());
  }

  @Test
  void pushToSeveralUsers_looksUpTheNodesOfThoseOnlineOnly() {
    routes.userLookupLimit = 32;
    Push presence = Push.toUsers(List.of(10L, 97L, 12L, 98L, 99L), "{}", null);
    assertEquals(Set.of("node-1", "node-2", "node-4"), routes.nodesFor(presence));
    assertEquals(Set.of(10L, 12L), Set.copyOf(lookedUp));
    assertEquals(2, lookedUp.size());
  }

  @Test
  void pushToOneOrTwoUsers_looksThemUpDirectly() {
    routes.nodesFor(Push.toUsers(List.of(10L, 99L), "{}", null));
    assertEquals(List.of(10L, 99L), lookedUp);
  }

  @Test
  void pushToEveryone_goesToEveryLiveNode() {
    assertEquals(5, routes.nodesFor(Push.toEveryone("{}")).size());
  }

  @Test
  void inASmallCluster_everyPushGoesToEveryKnownNodeWithoutAClusterLookup() {
    routes.broadcastNodes = 8;
    routes.interest =
        new Interest() {
          @Override
          public Collection<String> nodes(String conversation) {
            throw new AssertionError("interest looked up for " + conversation);
          }
        };
    assertEquals(5, routes.nodesFor(Push.toUsers(List.of(10L, 11L), "{}", null)).size());
    assertEquals(5, routes.nodesFor(Push.toConversation("room:2", "{}", null)).size());
    Push joined = Push.toConversation("room:1", "{}", null).afterJoining(12);
    assertEquals(5, routes.nodesFor(joined).size());
    assertEquals(List.of(), lookedUp);
  }

  @Test
  void inAClusterLargerThanTheBroadcastLimit_theUsersAreLookedUp() {
    routes.broadcastNodes = 4;
    assertEquals(
        Set.of("node-1", "node-2"), routes.nodesFor(Push.toUsers(List.of(10L, 11L), "{}", null)));
    assertEquals(List.of(10L, 11L), lookedUp);
    assertEquals(
        Set.of("node-2", "node-3"), routes.nodesFor(Push.toConversation("room:2", "{}", null)));
  }
}
