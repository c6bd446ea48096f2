package dev.parley.common.protocol;

/**
 * A failure a client should hear about, with its {@link ErrorCode}. Features throw it; the node's
 * dispatcher turns it into an {@code error} frame and the gateway's exception mapper into an HTTP
 * response. The message is shown to the client, so it never carries internals.
 */
public class ParleyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ParleyException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ParleyException(ErrorCode code) {
    this(code, code.defaultMessage());
  }

  public ErrorCode code() {
    return code;
  }
}
