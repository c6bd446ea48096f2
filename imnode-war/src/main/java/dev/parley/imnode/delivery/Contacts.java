package dev.parley.imnode.delivery;

import dev.parley.common.contact.Circle;
import dev.parley.common.contact.ContactStore;
import dev.parley.imnode.room.LargeRooms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;

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

  /**
   * The rooms and contacts of several users, in one query per 64: what connects need, and who hears
   * that users went offline.
   */
  public Map<Long, Circle> circlesOf(Collection<Long> userIds) {
    return store.circlesOf(userIds, large.announceLimit());
  }
}
