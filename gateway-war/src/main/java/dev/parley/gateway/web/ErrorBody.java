package dev.parley.gateway.web;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerFrames;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The {@code {code, message}} body of every error response. */
public final class ErrorBody {

  private ErrorBody() {}

  public static String json(ErrorCode code, String message) {
    return ServerFrames.object()
        .add("code", code.name())
        .add("message", message)
        .build()
        .toString();
  }

  public static Response response(ErrorCode code, String message) {
    return Response.status(code.httpStatus())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(json(code, message))
        .build();
  }

  /** The code that stands for an HTTP status the container or JAX-RS chose. */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400 -> ErrorCode.INVALID_FIELD;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.UNAUTHORIZED;
      case 404, 405 -> ErrorCode.NOT_FOUND;
      case 413 -> ErrorCode.FILE_TOO_LARGE;
      case 429 -> ErrorCode.TOO_MANY_ATTEMPTS;
      case 503 -> ErrorCode.NO_NODE_AVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_FIELD;
    };
  }
}
