package dev.parley.imnode.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides from successive looks at the node directory which nodes have left. A node whose entry is
 * missing at one look may only have lost it in the cluster map (seen when another member left: the
 * entries of the survivors went missing, and each node puts its own back within one renewal), so a
 * node counts as gone only when its entry is missing at {@code looks} looks in a row. Not
 * thread-safe: one renewal timer uses it.
 */
final class Absences {

  private final int looks;
  private final Map<String, Integer> missing = new HashMap<>();

  Absences(int looks) {
    if (looks < 1) {
      throw new IllegalArgumentException("looks must be at least 1");
    }
    this.looks = looks;
  }

  /**
   * Records one look: {@code known} nodes, of which {@code present} have an entry now.
   *
   * @return the known nodes missing at the last {@code looks} looks in a row
   */
  Set<String> look(Set<String> known, Set<String> present) {
    Set<String> gone = new HashSet<>();
    missing.keySet().retainAll(known);
    for (String node : known) {
      if (present.contains(node)) {
        missing.remove(node);
      } else if (missing.merge(node, 1, Integer::sum) >= looks) {
        missing.remove(node);
        gone.add(node);
      }
    }
    return gone;
  }

  /**
   * Whether this node, finding its own entry missing, may have been declared gone: only if it had
   * not renewed the entry for longer than its time to live (a pause), not when the map lost it.
   */
  static boolean mayHaveBeenDeclaredGone(long nanosSinceLastRenewal, long ttlNanos) {
    return nanosSinceLastRenewal >= ttlNanos;
  }
}
