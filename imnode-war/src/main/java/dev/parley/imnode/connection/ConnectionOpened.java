package dev.parley.imnode.connection;

import dev.parley.common.contact.Circle;

/**
 * A client connected to this node and is about to be welcomed; {@code circle} is its user's rooms
 * and contacts as they were read for this connect, {@code first} whether it is the user's first
 * connection in the cluster (its presence entry is in place).
 */
public record ConnectionOpened(Connection connection, Circle circle, boolean first) {}
