package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;
import java.util.Set;

/**
 * A user's first connection anywhere in the cluster opened. {@code contacts}: who hears of it (read
 * with the user's rooms when the connection was set up).
 */
public record CameOnline(UserView user, Set<Long> contacts) {}
