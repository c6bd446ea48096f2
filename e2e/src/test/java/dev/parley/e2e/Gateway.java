package dev.parley.e2e;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The gateway's HTTP API, as a client sees it. */
final class Gateway {

  /** A response: status and parsed JSON body. */
  record Reply(int status, JsonStructure body) {
    JsonObject object() {
      return (JsonObject) body;
    }
  }

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Gateway(String base) {
    this.base = base;
  }

  Reply post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A POST without a body, with a bearer token. */
  Reply postBearer(String path, String token) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Reply get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  /** Uploads a file as multipart/form-data part {@code file}. */
  Reply upload(String token, String name, String contentType, byte[] bytes)
      throws IOException, InterruptedException {
    String boundary = "parley" + System.nanoTime();
    var body = new java.io.ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name
                + "\"\r\nContent-Type: "
                + contentType
                + "\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.write(bytes);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/files"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** Registers (or signs in) a user and returns the login answer. */
  JsonObject signIn(String username) throws IOException, InterruptedException {
    Reply r =
        post(
            "/api/auth/login-register",
            Json.createObjectBuilder()
                .add("username", username)
                .add("password", "correct horse " + username)
                .build()
                .toString());
    if (r.status() != 200) {
      throw new IllegalStateException("sign-in of " + username + " failed: " + r);
    }
    return r.object();
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> resp =
        http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    String body = resp.body();
    JsonStructure json =
        body == null || body.isBlank() ? null : Json.createReader(new StringReader(body)).read();
    return new Reply(resp.statusCode(), json);
  }
}
