package dev.parley.gateway.web;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * The only place where a failure becomes an HTTP response: {@link ParleyException}s keep their
 * code, JAX-RS's own refusals keep their status, and anything else is logged and answered as {@code
 * INTERNAL} without details.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {

  private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof ParleyException p) {
      return ErrorBody.response(p.code(), p.getMessage());
    }
    if (failure instanceof WebApplicationException w) {
      int status = w.getResponse().getStatus();
      ErrorCode code = ErrorBody.forStatus(status);
      String message =
          status == 400 || status == 415 ? "The request body is not valid" : code.defaultMessage();
      return Response.fromResponse(ErrorBody.response(code, message)).status(status).build();
    }
    if (isUnreadableBody(failure)) {
      return ErrorBody.response(ErrorCode.INVALID_FIELD, "The request body is not valid JSON");
    }
    LOG.log(Level.ERROR, "Unexpected failure answering a request", failure);
    return ErrorBody.response(ErrorCode.INTERNAL, ErrorCode.INTERNAL.defaultMessage());
  }

  /** A body JSON-B could not read: Jersey wraps the parser's exception in others. */
  private static boolean isUnreadableBody(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof jakarta.json.bind.JsonbException
          || t instanceof jakarta.json.JsonException
          || t instanceof jakarta.json.stream.JsonParsingException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
