package dev.parley.gateway.login;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.UserView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code /api/auth}: register, login, login-register, and refresh (renewing a valid token). */
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

  @Inject Accounts accounts;

  @Inject JsonWebToken token;

  @Context HttpServletRequest request;

  @POST
  @Path("register")
  public Response register(Credentials credentials) {
    UserView user = accounts.register(credentials).view();
    return Response.status(Response.Status.CREATED).entity(new Registered(user)).build();
  }

  @POST
  @Path("login")
  public SignedIn login(Credentials credentials) {
    return accounts.login(credentials, request.getRemoteAddr());
  }

  @POST
  @Path("login-register")
  public SignedIn loginRegister(Credentials credentials) {
    return accounts.loginOrRegister(credentials, request.getRemoteAddr());
  }

  /**
   * A fresh token for the bearer of a valid one, so that a session outlives one token: same user,
   * same sign-in time ({@code auth_time}; tokens from before that claim count from their {@code
   * iat}).
   */
  @POST
  @Path("refresh")
  @RolesAllowed("user")
  @Consumes(MediaType.WILDCARD)
  public SignedIn refresh() {
    long userId;
    try {
      userId = Long.parseLong(token.getSubject());
    } catch (NumberFormatException e) {
      throw new ParleyException(ErrorCode.UNAUTHORIZED, "Not a token of this gateway");
    }
    return accounts.refresh(userId, Instant.ofEpochSecond(authTime()));
  }

  private long authTime() {
    Object claim = token.getClaim("auth_time");
    if (claim instanceof Number n) {
      return n.longValue();
    }
    if (claim instanceof jakarta.json.JsonNumber n) {
      return n.longValue();
    }
    return token.getIssuedAtTime();
  }

  /** The body of a successful registration. */
  public record Registered(UserView user) {}
}
