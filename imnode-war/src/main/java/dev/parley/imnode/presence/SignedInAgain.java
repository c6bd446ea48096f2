package dev.parley.imnode.presence;

import dev.parley.imnode.connection.Connection;

/**
 * A connection opened for a user who already had one somewhere in the cluster (their entries in the
 * presence map counted more than this one). A user's first connection fires {@link CameOnline}
 * instead.
 */
public record SignedInAgain(Connection connection) {}
