package dev.parley.imnode;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket opening handshake written by hand on a plain socket, so that a test sees exactly what
 * the node answers to a refused upgrade: status, headers and body. (The JDK's WebSocket client
 * keeps the body of a refusal to itself.)
 */
final class Handshake {

  private static final int TIMEOUT_MILLIS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The node's answer to an upgrade request; header names are lower case. */
  record Answer(int status, Map<String, String> headers, String body) {

    JsonObject json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Handshake() {}

  /**
   * Sends an upgrade request to {@code endpoint} (a ws: URI, query included) with the extra {@code
   * headers}, and reads the answer.
   */
  static Answer attempt(URI endpoint, Map<String, String> headers) throws IOException {
    int port = endpoint.getPort() == -1 ? 80 : endpoint.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      byte[] nonce = new byte[16];
      RANDOM.nextBytes(nonce);
      StringBuilder request =
          new StringBuilder()
              .append("GET ")
              .append(endpoint.getRawPath())
              .append(endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery())
              .append(" HTTP/1.1\r\n")
              .append("Host: ")
              .append(endpoint.getHost())
              .append(':')
              .append(port)
              .append("\r\n")
              .append("Upgrade: websocket\r\n")
              .append("Connection: Upgrade\r\n")
              .append("Sec-WebSocket-Key: ")
              .append(Base64.getEncoder().encodeToString(nonce))
              .append("\r\n")
              .append("Sec-WebSocket-Version: 13\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    if (status == 101) {
      return new Answer(status, headers, ""); // Upgraded: what follows are WebSocket frames.
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
        chunks.write(in.readNBytes(size));
        line(in);
      }
      body = chunks.toByteArray();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static int chunkSize(InputStream in) throws IOException {
    String line = line(in);
    int extension = line.indexOf(';');
    return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
  }

  /** One line of the header section, without its CRLF. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the connection closed in the middle of the answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
