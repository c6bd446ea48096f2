package dev.parley.common.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.MessageKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Owns JPA access to {@link Message}s. Sequence numbers come from a counter row per conversation,
 * locked for the length of the appending transaction: gap-free and the same on every node, at the
 * price of serialising the senders of one conversation.
 */
@ApplicationScoped
@Transactional
public class MessageStore {

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  /** The outcome of an append: the message, and whether it was stored by this call. */
  public record Appended(Message message, boolean isNew) {}

  /**
   * Appends a message with the next seq of its conversation, or returns the message stored earlier
   * for the same sender and client id (a retried send).
   */
  public Appended append(
      Conversation conversation,
      long senderId,
      String clientId,
      MessageKind kind,
      String body,
      Optional<String> fileId) {
    SequenceCounter counter =
        em.find(SequenceCounter.class, conversation.id(), LockModeType.PESSIMISTIC_WRITE);
    if (counter == null) {
      throw new IllegalStateException("no sequence counter for " + conversation);
    }
    // Looked up under the conversation's lock: a retry racing its original waits for it and, at
    // READ COMMITTED (the pool's isolation), sees the row it committed.
    Optional<Message> earlier = findByClientId(senderId, clientId);
    if (earlier.isPresent()) {
      return new Appended(earlier.get(), false);
    }
    Message message =
        new Message(
            conversation, counter.next(), senderId, clientId, kind, body, fileId.orElse(null));
    em.persist(message);
    // What one wrote, one has read.
    markRead(senderId, conversation, message.seq());
    em.flush();
    return new Appended(message, true);
  }

  /**
   * Creates the counter of a new conversation (and, for a direct one, its two participant rows);
   * does nothing for what exists.
   */
  public void openConversation(Conversation conversation) {
    if (em.find(SequenceCounter.class, conversation.id()) == null) {
      em.persist(new SequenceCounter(conversation.id()));
    }
    conversation
        .directUsers()
        .ifPresent(
            pair -> {
              for (int i = 0; i < 2; i++) {
                DirectConversation.Key key = new DirectConversation.Key(pair[i], conversation.id());
                if (em.find(DirectConversation.class, key) == null) {
                  em.persist(new DirectConversation(pair[i], conversation.id(), pair[1 - i]));
                }
              }
            });
  }

  /** Whether a conversation has been opened (its counter exists). */
  public boolean isOpen(Conversation conversation) {
    return em.find(SequenceCounter.class, conversation.id()) != null;
  }

  /**
   * {@link #openConversation} in a transaction of its own, committed when this returns: for a
   * caller whose own transaction must see the counter, and survive a concurrent opener's win.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void openConversationNow(Conversation conversation) {
    openConversation(conversation);
  }

  /** The last seq given out in a conversation (0 when it has no message). */
  public long lastSeq(Conversation conversation) {
    SequenceCounter counter = em.find(SequenceCounter.class, conversation.id());
    return counter == null ? 0 : counter.lastSeq();
  }

  /** The direct conversations a user takes part in. */
  public List<DirectConversation> directConversationsOf(long userId) {
    return em.createQuery(
            "select d from DirectConversation d where d.userId = :user", DirectConversation.class)
        .setParameter("user", userId)
        .getResultList();
  }

  /** How far a user has read in a conversation (0 when never). */
  public long readSeq(long userId, Conversation conversation) {
    ReadPosition p = em.find(ReadPosition.class, new ReadPosition.Key(userId, conversation.id()));
    return p == null ? 0 : p.readSeq();
  }

  /**
   * Moves a user's read position forward to {@code seq}, capped at the conversation's last seq.
   *
   * @return the new position, empty when it did not move
   */
  public Optional<Long> markRead(long userId, Conversation conversation, long seq) {
    long capped = Math.min(seq, lastSeq(conversation));
    if (capped <= 0) {
      return Optional.empty();
    }
    ReadPosition p = em.find(ReadPosition.class, new ReadPosition.Key(userId, conversation.id()));
    if (p == null) {
      em.persist(new ReadPosition(userId, conversation.id(), capped));
      return Optional.of(capped);
    }
    return p.advanceTo(capped) ? Optional.of(capped) : Optional.empty();
  }

  /** The message with a given seq, if there is one. */
  public Optional<Message> bySeq(Conversation conversation, long seq) {
    return em.createQuery(
            "select m from Message m where m.conversation = :c and m.seq = :seq", Message.class)
        .setParameter("c", conversation.id())
        .setParameter("seq", seq)
        .getResultStream()
        .findFirst();
  }

  public Optional<Message> findByClientId(long senderId, String clientId) {
    return em.createQuery(
            "select m from Message m where m.senderId = :sender and m.clientId = :client",
            Message.class)
        .setParameter("sender", senderId)
        .setParameter("client", clientId)
        .getResultStream()
        .findFirst();
  }

  /** Up to {@code limit} messages before {@code beforeSeq} (all when empty), ascending by seq. */
  public List<Message> history(Conversation conversation, Optional<Long> beforeSeq, int limit) {
    List<Message> page =
        new ArrayList<>(
            em.createQuery(
                    "select m from Message m where m.conversation = :c and m.seq < :before"
                        + " order by m.seq desc",
                    Message.class)
                .setParameter("c", conversation.id())
                .setParameter("before", beforeSeq.orElse(Long.MAX_VALUE))
                .setMaxResults(limit)
                .getResultList());
    Collections.reverse(page);
    return page;
  }

  /** Up to {@code limit} messages after {@code afterSeq}, ascending by seq. */
  public List<Message> after(Conversation conversation, long afterSeq, int limit) {
    return em.createQuery(
            "select m from Message m where m.conversation = :c and m.seq > :after"
                + " order by m.seq",
            Message.class)
        .setParameter("c", conversation.id())
        .setParameter("after", afterSeq)
        .setMaxResults(limit)
        .getResultList();
  }
}
