package dev.parley.bench.cluster;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nodes' socket writes over an interval, from the counters in their {@code /health/ready} data
 * (node i answers HTTP on the gateway's port + i): frames written, socket writes, and frames per
 * write.
 */
public final class WriteMeter {

  private static final String[] COUNTERS = {"framesWritten", "socketWrites"};
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI gateway;
  private final int nodes;
  private final Map<String, Map<String, Long>> start = new LinkedHashMap<>();

  private WriteMeter(URI gateway, int nodes) {
    this.gateway = gateway;
    this.nodes = nodes;
    for (int i = 1; i <= nodes; i++) {
      start.put("node-" + i, read(i));
    }
  }

  /** Starts counting on the cluster's nodes 1 … n (the gateway's port + 1 … + n). */
  public static WriteMeter start(BenchCluster cluster) {
    return new WriteMeter(cluster.gateway(), cluster.settings().nodes());
  }

  /**
   * Per node: the counters' growth since the start and frames per write; "unavailable" if unread.
   */
  public Map<String, Object> stop() {
    Map<String, Object> out = new LinkedHashMap<>();
    long frames = 0;
    long writes = 0;
    for (int i = 1; i <= nodes; i++) {
      String name = "node-" + i;
      Map<String, Long> before = start.get(name);
      Map<String, Long> after = read(i);
      if (before.isEmpty() || after.isEmpty()) {
        out.put(name, "unavailable");
        continue;
      }
      Map<String, Object> node = new LinkedHashMap<>();
      for (String c : COUNTERS) {
        node.put(c, after.getOrDefault(c, 0L) - before.getOrDefault(c, 0L));
      }
      long f = (Long) node.get("framesWritten");
      long w = (Long) node.get("socketWrites");
      node.put("framesPerWrite", perWrite(f, w));
      frames += f;
      writes += w;
      out.put(name, node);
    }
    out.put("framesPerWrite", perWrite(frames, writes));
    return out;
  }

  private static double perWrite(long frames, long writes) {
    return writes == 0 ? 0 : Math.round(100.0 * frames / writes) / 100.0;
  }

  /** The node's counters, or empty when it cannot be read (not up, or no such check data). */
  private Map<String, Long> read(int node) {
    URI uri =
        URI.create(
            "http://" + gateway.getHost() + ":" + (gateway.getPort() + node) + "/health/ready");
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Map<String, Long> counters = new LinkedHashMap<>();
      JsonArray checks =
          Json.createReader(new StringReader(body)).readObject().getJsonArray("checks");
      if (checks == null) {
        return Map.of();
      }
      for (JsonValue check : checks) {
        JsonObject data = check.asJsonObject().getJsonObject("data");
        for (String c : COUNTERS) {
          if (data != null && data.containsKey(c)) {
            // MicroProfile Health data values arrive as strings.
            counters.put(c, Long.parseLong(data.getString(c)));
          }
        }
      }
      return counters;
    } catch (IOException | JsonException | ClassCastException | NumberFormatException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }
}
