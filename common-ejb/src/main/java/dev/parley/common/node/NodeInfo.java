package dev.parley.common.node;

import java.time.Instant;

/**
 * One IM node as the registry knows it: its id, the WebSocket URL clients connect to, its live load
 * (open connections, frames waiting in outbound queues), and when it last said it was alive.
 */
public record NodeInfo(String nodeId, String url, int connections, int queued, Instant lastSeen) {}
