package dev.parley.imnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How queued pushes become one topic message per node, and back. */
class ClusterBusBundleTest {

  private static ClusterBus.Outgoing out(Push push, String... nodes) {
    return new ClusterBus.Outgoing(push.encode(), List.of(nodes));
  }

  @Test
  void byNode_keepsEachNodesPushesInPublishOrder() {
    Push a = Push.toConversation("room:1", "{\"n\":1}", null);
    Push b = Push.toUsers(List.of(5L), "{\"n\":2}", "c-9");
    Push c = Push.toEveryone("{\"n\":3}");
    Map<String, List<String>> byNode =
        ClusterBus.byNode(List.of(out(a, "n1", "n2"), out(b, "n2"), out(c, "n1", "n2", "n3")));
    assertEquals(List.of("n1", "n2", "n3"), List.copyOf(byNode.keySet()));
    assertEquals(List.of(a.encode(), c.encode()), byNode.get("n1"));
    assertEquals(List.of(a.encode(), b.encode(), c.encode()), byNode.get("n2"));
    assertEquals(List.of(c.encode()), byNode.get("n3"));
  }

  @Test
  void aSinglePush_travelsAsItIs_andSeveralAsOneBundle_thatReadsBackInOrder() {
    Push a = Push.toConversation("room:1", "{\"body\":\"[not a bundle]\"}", "c-1").afterJoining(3);
    Push b = Push.toUsers(List.of(5L, 6L), "{\"n\":2}", null).closing(4002);
    assertEquals(a.encode(), ClusterBus.topicMessage(List.of(a.encode())));
    assertEquals(List.of(a), ClusterBus.pushesIn(ClusterBus.topicMessage(List.of(a.encode()))));
    String bundle = ClusterBus.topicMessage(List.of(a.encode(), b.encode(), a.encode()));
    assertEquals(List.of(a, b, a), ClusterBus.pushesIn(bundle));
  }

  @Test
  void aBundle_survivesCompression() {
    Push big = Push.toConversation("room:2", "{\"body\":\"" + "x".repeat(3000) + "\"}", null);
    String bundle = ClusterBus.topicMessage(List.of(big.encode(), big.encode()));
    Object payload = new PushCompression(1024).encode(bundle);
    assertEquals(List.of(big, big), ClusterBus.pushesIn(PushCompression.decode(payload)));
  }
}
