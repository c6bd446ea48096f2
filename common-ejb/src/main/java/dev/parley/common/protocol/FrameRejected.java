package dev.parley.common.protocol;

import java.util.Optional;

/**
 * A client frame that could not be decoded. It keeps the request id when the frame had a usable
 * one, so that the {@code error} answer can be matched to the request.
 */
public final class FrameRejected extends ParleyException {
  private static final long serialVersionUID = 1L;

  private final String requestId;

  public FrameRejected(ErrorCode code, String message, String requestId) {
    super(code, message);
    this.requestId = requestId;
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
