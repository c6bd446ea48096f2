package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;

/** A user came online (first connection anywhere in the cluster) or went offline (last one). */
public record PresenceChanged(UserView user, boolean online) {}
