/**
 * Who is online anywhere in the cluster. {@link dev.parley.imnode.presence.OnlineUsers} keeps one
 * entry per open connection in a cluster-wide multimap, and drops the entries of a node that leaves
 * the cluster.
 */
package dev.parley.imnode.presence;
