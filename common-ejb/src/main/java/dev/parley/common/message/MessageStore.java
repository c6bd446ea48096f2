package dev.parley.common.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.MessageKind;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Owns database access to {@link Message}s (JPA, and plain JDBC for {@link #appendAll}). Sequence
 * numbers come from a counter row per conversation, locked for the length of the appending
 * transaction: gap-free and the same on every node, at the price of serialising the senders of one
 * conversation. {@link #appendAll} stores many messages in one transaction and a handful of
 * statements, so that the lock is taken once per batch.
 */
@ApplicationScoped
@Transactional
public class MessageStore {

  /** How many conversations one counter query names at most (larger batches take several). */
  private static final int IN_LIST_MAX = 64;

  @PersistenceContext(unitName = "parley")
  EntityManager em;

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  /** The outcome of an append: the message, and whether it was stored by this call. */
  public record Appended(Message message, boolean isNew) {}

  /**
   * A message to store: everything but its seq, id and time. {@code mayOpen}: the conversation is a
   * direct one that may not be open yet (its participant rows are written if missing).
   */
  public record Draft(
      Conversation conversation,
      long senderId,
      String clientId,
      MessageKind kind,
      String body,
      Optional<String> fileId,
      boolean mayOpen) {}

  /**
   * Stores every draft with the next seqs of its conversation, in the order given, in one local
   * transaction of its own (outside JTA: a writer thread has no component context that would enlist
   * the connection, and needs none): the counters are advanced once per conversation (in
   * conversation order, so that two nodes' batches never wait for each other in a cycle), the
   * messages inserted in one batch, and each sender's read position moved to what it wrote. All or
   * nothing: a draft that cannot be stored (a retried send whose client id is taken, a lock wait
   * given up) fails the whole batch, and the caller stores the drafts one by one with {@link
   * #append} instead.
   *
   * @return the stored messages, in the order of {@code drafts}
   * @throws PersistenceBatchException when the batch was not stored
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public List<Message> appendAll(List<Draft> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        List<Message> stored = appendAll(db, drafts);
        db.commit();
        return stored;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new PersistenceBatchException(e);
    }
  }

  private static List<Message> appendAll(Connection db, List<Draft> drafts) throws SQLException {
    Map<String, Long> next = reserveSeqs(db, drafts);
    openDirect(db, drafts);
    List<Message> stored = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      long seq = next.merge(d.conversation().id(), 1L, Long::sum) - 1;
      stored.add(
          new Message(
              d.conversation(),
              seq,
              d.senderId(),
              d.clientId(),
              d.kind(),
              d.body(),
              d.fileId().orElse(null)));
    }
    insertMessages(db, stored);
    advanceSenders(db, stored);
    return stored;
  }

  /** Thrown by {@link #appendAll} when its batch was rolled back. */
  public static class PersistenceBatchException extends RuntimeException {
    PersistenceBatchException(Throwable cause) {
      super(cause);
    }

    PersistenceBatchException(String message) {
      super(message);
    }
  }

  /**
   * Advances each conversation's counter by its drafts; the first seq each one got (a mutable map).
   */
  private static Map<String, Long> reserveSeqs(Connection db, List<Draft> drafts)
      throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    drafts.forEach(d -> counts.merge(d.conversation().id(), 1L, Long::sum));
    // One statement creates a new direct conversation's counter and advances an existing one.
    try (PreparedStatement advance =
        db.prepareStatement(
            "insert into sequence_counters (conversation, last_seq) values (?, ?)"
                + " on duplicate key update last_seq = last_seq + values(last_seq)")) {
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        advance.setString(1, e.getKey());
        advance.setLong(2, e.getValue());
        advance.addBatch();
      }
      advance.executeBatch();
    }
    Map<String, Long> first = new HashMap<>();
    List<String> ids = List.copyOf(counts.keySet());
    for (int from = 0; from < ids.size(); from += IN_LIST_MAX) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_MAX));
      // The list is padded to a power of two, so that a few statement shapes serve every batch.
      int size = Integer.highestOneBit(chunk.size() * 2 - 1);
      String marks = "?" + ",?".repeat(size - 1);
      try (PreparedStatement select =
          db.prepareStatement(
              "select conversation, last_seq from sequence_counters where conversation in ("
                  + marks
                  + ")")) {
        for (int i = 0; i < size; i++) {
          select.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            String conversation = rows.getString(1);
            first.put(conversation, rows.getLong(2) - counts.get(conversation) + 1);
          }
        }
      }
    }
    return first;
  }

  /** The participant rows of the batch's direct conversations that may be new. */
  private static void openDirect(Connection db, List<Draft> drafts) throws SQLException {
    Map<String, long[]> opening = new TreeMap<>();
    for (Draft d : drafts) {
      if (d.mayOpen()) {
        d.conversation().directUsers().ifPresent(pair -> opening.put(d.conversation().id(), pair));
      }
    }
    if (opening.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into direct_conversations (user_id, conversation, other_user_id)"
                + " values (?, ?, ?) on duplicate key update other_user_id = other_user_id")) {
      for (Map.Entry<String, long[]> e : opening.entrySet()) {
        for (int i = 0; i < 2; i++) {
          insert.setLong(1, e.getValue()[i]);
          insert.setString(2, e.getKey());
          insert.setLong(3, e.getValue()[1 - i]);
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static void insertMessages(Connection db, List<Message> messages) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into messages"
                + " (conversation, seq, sender_id, client_id, kind, body, file_id, sent_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      for (Message m : messages) {
        insert.setString(1, m.conversation().id());
        insert.setLong(2, m.seq());
        insert.setLong(3, m.senderId());
        insert.setString(4, m.clientId());
        insert.setString(5, m.kind().name());
        insert.setString(6, m.body());
        if (m.fileId().isPresent()) {
          insert.setString(7, m.fileId().get());
        } else {
          insert.setNull(7, Types.VARCHAR);
        }
        insert.setLong(8, m.sentAt().toEpochMilli());
        insert.addBatch();
      }
      insert.executeBatch();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        for (Message m : messages) {
          if (!keys.next()) {
            throw new PersistenceBatchException("the database returned fewer ids than rows");
          }
          m.identify(keys.getLong(1));
        }
      }
    }
  }

  /** What one wrote, one has read: each sender's position moves to its last message. */
  private static void advanceSenders(Connection db, List<Message> messages) throws SQLException {
    // In key order, as the counters: batches lock rows in one order.
    Map<ReadPosition.Key, Long> last =
        new TreeMap<>(
            Comparator.comparingLong(ReadPosition.Key::userId)
                .thenComparing(ReadPosition.Key::conversation));
    for (Message m : messages) {
      last.merge(new ReadPosition.Key(m.senderId(), m.conversation().id()), m.seq(), Math::max);
    }
    try (PreparedStatement upsert =
        db.prepareStatement(
            "insert into read_positions (user_id, conversation, read_seq) values (?, ?, ?)"
                + " on duplicate key update read_seq = greatest(read_seq, values(read_seq))")) {
      for (Map.Entry<ReadPosition.Key, Long> e : last.entrySet()) {
        upsert.setLong(1, e.getKey().userId());
        upsert.setString(2, e.getKey().conversation());
        upsert.setLong(3, e.getValue());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

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

  /**
   * {@link #lastSeq} of several conversations in one query (a conversation without a message is
   * left out).
   */
  public Map<Conversation, Long> lastSeqs(Collection<Conversation> conversations) {
    if (conversations.isEmpty()) {
      return Map.of();
    }
    Map<String, Conversation> byId = new HashMap<>();
    conversations.forEach(c -> byId.put(c.id(), c));
    Map<Conversation, Long> last = new HashMap<>();
    for (SequenceCounter counter :
        em.createQuery(
                "select c from SequenceCounter c where c.conversation in :ids",
                SequenceCounter.class)
            .setParameter("ids", byId.keySet())
            .getResultList()) {
      last.put(byId.get(counter.conversation()), counter.lastSeq());
    }
    return last;
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
