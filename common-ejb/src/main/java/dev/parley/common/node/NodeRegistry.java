package dev.parley.common.node;

import java.util.List;

/**
 * Where IM nodes announce themselves and the gateway finds them. A node calls {@link #announce} at
 * start and on every heartbeat, and {@link #withdraw} when it stops; a node that stops
 * heart-beating disappears by itself within the registry's time to live.
 */
public interface NodeRegistry {

  void announce(NodeInfo node);

  void withdraw(String nodeId);

  /** The nodes that heart-beated within the time to live, in no particular order. */
  List<NodeInfo> liveNodes();
}
