package dev.parley.common.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** That a user takes part in a direct conversation, and with whom (one row per participant). */
@Entity
@Table(name = "direct_conversations")
@IdClass(DirectConversation.Key.class)
public class DirectConversation {

  @Id
  @Column(name = "user_id")
  private long userId;

  @Id
  @Column(length = 64)
  private String conversation;

  @Column(name = "other_user_id", nullable = false)
  private long otherUserId;

  protected DirectConversation() {}

  DirectConversation(long userId, String conversation, long otherUserId) {
    this.userId = userId;
    this.conversation = conversation;
    this.otherUserId = otherUserId;
  }

  public String conversation() {
    return conversation;
  }

  public long otherUserId() {
    return otherUserId;
  }

  /** The composite key. */
  public record Key(long userId, String conversation) implements Serializable {
    public Key() {
      this(0, null);
    }
  }
}
