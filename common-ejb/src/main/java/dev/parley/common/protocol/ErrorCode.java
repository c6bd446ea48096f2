package dev.parley.common.protocol;

/**
 * Every error a client can see, over HTTP or in an {@code error} frame. The names are the stable
 * {@code code} strings of the wire contract; the HTTP status is what the gateway answers with.
 */
public enum ErrorCode {
  BAD_FRAME(400, "The frame is not a JSON object of the contract"),
  UNKNOWN_TYPE(400, "Unknown frame type"),
  FRAME_TOO_LARGE(413, "The frame is larger than the server accepts"),
  RATE_LIMITED(429, "Too many requests"),
  ROOM_NOT_FOUND(404, "No such room"),
  USER_NOT_FOUND(404, "No such user"),
  NOT_A_MEMBER(403, "You are not a member of this conversation"),
  MESSAGE_REJECTED(422, "The message was rejected"),
  FILE_NOT_FOUND(404, "No such file"),
  FILE_TOO_LARGE(413, "The file is larger than the server accepts"),
  FILE_TYPE_NOT_ALLOWED(415, "Files of this type are not accepted"),
  FILE_URL_INVALID(403, "The file link is invalid or has expired"),
  INVALID_FIELD(400, "A field is missing or invalid"),
  INVALID_CREDENTIALS(401, "Wrong username or password"),
  USERNAME_TAKEN(409, "That username is taken"),
  TOO_MANY_ATTEMPTS(429, "Too many attempts; try again later"),
  UNAUTHORIZED(401, "A valid token is required"),
  TOKEN_EXPIRED(401, "The token has expired"),
  SESSION_EXPIRED(401, "The session has ended; sign in again"),
  ORIGIN_NOT_ALLOWED(403, "This origin may not connect"),
  NO_NODE_AVAILABLE(503, "No IM node is available"),
  NODE_FULL(503, "This node accepts no more connections"),
  NOT_FOUND(404, "Not found"),
  BUSY(503, "The server is busy; retry shortly"),
  INTERNAL(500, "Internal error");

  private final int httpStatus;
  private final String defaultMessage;

  ErrorCode(int httpStatus, String defaultMessage) {
    this.httpStatus = httpStatus;
    this.defaultMessage = defaultMessage;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String defaultMessage() {
    return defaultMessage;
  }
}
