/**
 * This node's identity and life cycle in the cluster: who it is and where clients reach it, its
 * announcements in the node registry (at start, on every heartbeat, withdrawn first on shutdown),
 * and its readiness check.
 */
package dev.parley.imnode.node;
