package dev.parley.imnode.delivery;

import dev.parley.common.contact.Circle;
import dev.parley.common.contact.ContactStore;
import dev.parley.imnode.room.LargeRooms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The users who share a room of at most {@code parley.imnode.room.announce-limit} members, or a
 * direct conversation, with a user: who hears of its presence. Members of larger rooms are not each
 * other's contacts (a connect in a room of 10,000 would otherwise reach 10,000 users), and the
 * query never reads those rooms' members. One query ({@link ContactStore}).
 */
@ApplicationScoped
public class Contacts {

  @Inject ContactStore store;
  @Inject LargeRooms large;

  /** The user's rooms and contacts, in one query: what a connect needs. */
  public Circle circleOf(long userId) {
    return store.circleOf(userId, large.announceLimit());
  }

  /** {@link #circleOf} for the users of several connects, read together. */
  public Map<Long, Circle> circlesOf(Collection<Long> userIds) {
    return store.circlesOf(userIds, large.announceLimit());
  }

  /**
   * The user's contacts alone (an offline announcement): the same query, whose room part is one
   * more indexed lookup, rather than a second copy of its SQL.
   */
  public Set<Long> of(long userId) {
    return new TreeSet<>(circleOf(userId).contacts());
  }
}
