package dev.parley.imnode.delivery;

import dev.parley.common.message.DirectConversation;
import dev.parley.common.message.MessageStore;
import dev.parley.common.room.RoomStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.TreeSet;

/** The users who share a room or a direct conversation with a user: who hears of its presence. */
@ApplicationScoped
public class Contacts {

  @Inject RoomStore rooms;
  @Inject MessageStore messages;

  public Set<Long> of(long userId) {
    Set<Long> contacts = new TreeSet<>(rooms.roommatesOf(userId));
    for (DirectConversation d : messages.directConversationsOf(userId)) {
      contacts.add(d.otherUserId());
    }
    return contacts;
  }
}
