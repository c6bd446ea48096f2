/**
 * Getting frames to the right connections. {@link dev.parley.imnode.delivery.Fanout} observes what
 * the room and message features announce and publishes it once, through {@link
 * dev.parley.imnode.delivery.Routes}, to the nodes that host someone it is for; {@link
 * dev.parley.imnode.delivery.LocalDelivery} takes every push that arrives and queues it on this
 * node's connections that should see it, tracked by {@link
 * dev.parley.imnode.delivery.Subscriptions}, which also keeps this node's interest entries.
 */
package dev.parley.imnode.delivery;
