package dev.parley.imnode.connection;

/** A client's connection to this node ended, for whatever reason. */
public record ConnectionClosed(Connection connection) {}
