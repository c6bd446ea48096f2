/**
 * Users: the entity, its store, and how a user is shown on the wire. Both the gateway (sign-up,
 * sign-in) and the IM nodes (who is connected) read users through {@link
 * dev.parley.common.user.UserStore}.
 */
package dev.parley.common.user;
