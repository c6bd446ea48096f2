package dev.parley.imnode.cluster;

/** A push arrived from the cluster (from any node, this one included) for local delivery. */
public record PushArrived(Push push) {}
