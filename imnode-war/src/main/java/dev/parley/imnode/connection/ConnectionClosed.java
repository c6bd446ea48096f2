package dev.parley.imnode.connection;

/**
 * A client's connection to this node ended, for whatever reason: {@code code} is the close code the
 * client sent, or the one the node closed it with (1006 when it broke without a close frame).
 */
public record ConnectionClosed(Connection connection, int code) {}
