package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;
import java.util.Optional;
import java.util.Set;

/**
 * A user came online (first connection anywhere in the cluster) or went offline (last one). {@code
 * contacts}: who hears of it, when already read (a connect reads them with the user's rooms); empty
 * when whoever announces must look them up.
 */
public record PresenceChanged(UserView user, boolean online, Optional<Set<Long>> contacts) {

  public PresenceChanged(UserView user, boolean online) {
    this(user, online, Optional.empty());
  }
}
