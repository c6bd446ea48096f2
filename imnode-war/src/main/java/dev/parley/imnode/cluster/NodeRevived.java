package dev.parley.imnode.cluster;

/**
 * This node found itself declared gone by the cluster while it was running: what other nodes kept
 * for it has been dropped and pushes may have passed it by.
 */
public record NodeRevived(String nodeId) {}
