package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;
import java.util.List;

/**
 * Users whose last connection in the cluster went, found together (a round of {@link Departures},
 * or the entries of a node that left the cluster): whoever announces them reads all their contacts
 * at once.
 */
public record WentOffline(List<UserView> users) {

  public WentOffline {
    users = List.copyOf(users);
  }
}
