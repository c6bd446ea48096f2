package dev.parley.common.user;

import dev.parley.common.protocol.UserView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.Optional;

/**
 * A person who can sign in: a local account with a password hash, or an account provisioned for a
 * token of an external identity provider (then identified by issuer and subject, with no password).
 */
@Entity
@Table(
    name = "users",
    uniqueConstraints = {
      @UniqueConstraint(name = "uq_users_username", columnNames = "username"),
      @UniqueConstraint(
          name = "uq_users_external",
          columnNames = {"external_issuer", "external_subject"})
    },
    indexes = @Index(name = "ix_users_created", columnList = "created_at"))
public class User {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, length = 32)
  private String username;

  @Column(nullable = false, length = 64)
  private String nickname;

  @Column(name = "password_hash", length = 200)
  private String passwordHash;

  @Column(name = "external_issuer", length = 255)
  private String externalIssuer;

  @Column(name = "external_subject", length = 255)
  private String externalSubject;

  @Column(name = "created_at", nullable = false)
  private long createdAt; // epoch milliseconds: portable and precise on H2 and MySQL

  protected User() {}

  static User local(String username, String nickname, String passwordHash) {
    User user = new User();
    user.username = username;
    user.nickname = nickname;
    user.passwordHash = passwordHash;
    user.createdAt = Instant.now().toEpochMilli();
    return user;
  }

  static User external(String issuer, String subject, String username, String nickname) {
    User user = new User();
    user.username = username;
    user.nickname = nickname;
    user.externalIssuer = issuer;
    user.externalSubject = subject;
    user.createdAt = Instant.now().toEpochMilli();
    return user;
  }

  public long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String nickname() {
    return nickname;
  }

  /** The stored password hash; empty for an account of an external identity provider. */
  public Optional<String> passwordHash() {
    return Optional.ofNullable(passwordHash);
  }

  public UserView view() {
    return new UserView(id, username, nickname);
  }
}
