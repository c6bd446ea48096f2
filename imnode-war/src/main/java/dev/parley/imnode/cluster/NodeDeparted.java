package dev.parley.imnode.cluster;

/** Another IM node left the cluster (stopped, or killed and timed out). */
public record NodeDeparted(String nodeId) {}
