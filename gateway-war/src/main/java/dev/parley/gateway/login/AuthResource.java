package dev.parley.gateway.login;

import dev.parley.common.protocol.UserView;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/auth}: register, login and login-register. */
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

  @Inject Accounts accounts;

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

  /** The body of a successful registration. */
  public record Registered(UserView user) {}
}
