package dev.parley.common.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.MessageKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/** One accepted message, numbered within its conversation. */
@Entity
@Table(
    name = "messages",
    uniqueConstraints = {
      @UniqueConstraint(
          name = "uq_messages_seq",
          columnNames = {"conversation", "seq"}),
      @UniqueConstraint(
          name = "uq_messages_client",
          columnNames = {"sender_id", "client_id"})
    })
public class Message {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, length = 64)
  private String conversation;

  @Column(nullable = false)
  private long seq;

  @Column(name = "sender_id", nullable = false)
  private long senderId;

  @Column(name = "client_id", nullable = false, length = 64)
  private String clientId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 8)
  private MessageKind kind;

  @Lob
  @Column(nullable = false)
  private String body;

  @Column(name = "file_id", length = 32)
  private String fileId;

  @Column(name = "sent_at", nullable = false)
  private long sentAt; // epoch milliseconds: portable and precise on H2 and MySQL

  protected Message() {}

  Message(
      Conversation conversation,
      long seq,
      long senderId,
      String clientId,
      MessageKind kind,
      String body,
      String fileId) {
    this.conversation = conversation.id();
    this.fileId = fileId;
    this.seq = seq;
    this.senderId = senderId;
    this.clientId = clientId;
    this.kind = kind;
    this.body = body;
    this.sentAt = Instant.now().toEpochMilli();
  }

  /** Gives a message stored outside JPA ({@link MessageStore#appendAll}) its generated id. */
  void identify(long generatedId) {
    this.id = generatedId;
  }

  public long id() {
    return id;
  }

  public Conversation conversation() {
    return new Conversation(conversation);
  }

  public long seq() {
    return seq;
  }

  public long senderId() {
    return senderId;
  }

  public String clientId() {
    return clientId;
  }

  public MessageKind kind() {
    return kind;
  }

  public String body() {
    return body;
  }

  /** The upload an image or file message carries. */
  public java.util.Optional<String> fileId() {
    return java.util.Optional.ofNullable(fileId);
  }

  public Instant sentAt() {
    return Instant.ofEpochMilli(sentAt);
  }
}
