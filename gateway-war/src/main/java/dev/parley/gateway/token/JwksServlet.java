package dev.parley.gateway.token;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Publishes the public key set that verifies the gateway's tokens. */
@WebServlet("/.well-known/jwks.json")
public class JwksServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/jwk-set+json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "public, max-age=300");
    resp.getWriter().write(SigningKeys.publicKeySetJson());
  }
}
