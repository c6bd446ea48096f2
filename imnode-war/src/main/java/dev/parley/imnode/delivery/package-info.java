/**
 * Getting frames to the right connections. {@link dev.parley.imnode.delivery.Fanout} observes what
 * the room and message features announce and publishes it to the cluster once; {@link
 * dev.parley.imnode.delivery.LocalDelivery} takes every push that arrives and queues it on this
 * node's connections that should see it, tracked by {@link
 * dev.parley.imnode.delivery.Subscriptions}.
 */
package dev.parley.imnode.delivery;
