package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out the healthy nodes in turn. */
final class RoundRobin implements Strategy {

  private final AtomicLong next = new AtomicLong();

  @Override
  public NodeInfo choose(List<NodeInfo> healthy, Optional<Long> room) {
    return healthy.get((int) Math.floorMod(next.getAndIncrement(), (long) healthy.size()));
  }
}
