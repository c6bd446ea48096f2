package dev.parley.gateway.web;

import dev.parley.common.protocol.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Renders the errors the container sends by itself (a refused token, an unknown path) as the same
 * {@code {code, message}} JSON as every other error; mapped as the error page in web.xml.
 */
@WebServlet("/error-page")
public class ErrorPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int code = status instanceof Integer i ? i : resp.getStatus();
    ErrorCode error = ErrorBody.forStatus(code);
    resp.setStatus(code);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    if (code == 401) {
      resp.setHeader("WWW-Authenticate", "Bearer");
    }
    resp.getWriter().write(ErrorBody.json(error, error.defaultMessage()));
  }
}
