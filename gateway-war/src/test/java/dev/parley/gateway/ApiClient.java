package dev.parley.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Calls the gateway's HTTP API and checks the shape of its answers. */
final class ApiClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param base the deployment's root URL, ending with a slash
   */
  ApiClient(URI base) {
    this.base = base;
  }

  /** An HTTP answer: status, content type and body. */
  record Reply(int status, Optional<String> contentType, String body, HttpResponse<String> raw) {

    JsonStructure json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.read();
      } catch (RuntimeException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    JsonObject object() {
      return (JsonObject) json();
    }

    JsonArray array() {
      return (JsonArray) json();
    }

    /** Asserts the status, and that the body is JSON whatever the outcome. */
    Reply expect(int expectedStatus) {
      assertEquals(expectedStatus, status, () -> "unexpected status; body: " + body);
      assertTrue(
          contentType.orElse("").contains("json"),
          () -> "not a JSON answer: " + contentType + " " + body);
      return this;
    }

    /** Asserts an error answer of the contract: the status and exactly {@code {code, message}}. */
    void expectError(int expectedStatus, String expectedCode) {
      expect(expectedStatus);
      JsonStructure json = json();
      assertEquals(JsonValue.ValueType.OBJECT, json.getValueType(), body);
      JsonObject error = (JsonObject) json;
      assertEquals(2, error.size(), () -> "an error is {code, message}: " + body);
      assertEquals(expectedCode, error.getString("code"), body);
      assertTrue(error.get("message") instanceof JsonString, body);
      assertFalse(error.getString("message").isBlank(), body);
    }
  }

  Reply post(String path, JsonObject body) {
    return post(path, body.toString(), "application/json");
  }

  Reply post(String path, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** A POST without a body, with a bearer token (none when null). */
  Reply postBearer(String path, String bearerToken) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody());
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return send(request.build());
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
  }

  Reply get(String path, String bearerToken) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + bearerToken)
            .GET()
            .build());
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type"),
          response.body(),
          response);
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static JsonObject credentials(String username, String password) {
    return Json.createObjectBuilder().add("username", username).add("password", password).build();
  }

  static JsonObject credentials(String username, String password, String nickname) {
    return Json.createObjectBuilder()
        .add("username", username)
        .add("password", password)
        .add("nickname", nickname)
        .build();
  }
}
