package dev.parley.imnode.presence;

import dev.parley.common.protocol.UserView;

/** A connection of {@code user} that closed on this node: its presence entry is to go. */
public record Departure(UserView user, String connectionId) {}
