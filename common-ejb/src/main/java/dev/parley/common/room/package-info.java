/**
 * Rooms and their memberships, and the store that owns their JPA access. The IM node's room feature
 * decides what a join or leave means; this package only keeps the records.
 */
package dev.parley.common.room;
