/**
 * Who a user's contacts are: the users they share a small room or a direct conversation with. It
 * reads the tables of the room and message packages in one query, and writes nothing.
 */
package dev.parley.common.contact;
