package dev.parley.imnode.connection;

/** A client connected to this node and was welcomed. */
public record ConnectionOpened(Connection connection) {}
