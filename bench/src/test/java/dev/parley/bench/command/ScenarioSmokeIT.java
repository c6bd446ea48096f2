package dev.parley.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.bench.cluster.BenchCluster;
import dev.parley.bench.cluster.ClusterSettings;
import dev.parley.bench.report.Report;
import dev.parley.bench.scenario.Options;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A tiny run of each scenario against one embedded cluster (gateway :18680, two nodes): it must
 * complete and leave a well-formed report. Speed is not asserted. {@code chat} runs on the embedded
 * profile (H2) here; {@code storm} drains node-2, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScenarioSmokeIT {

  private static final int GATEWAY_PORT = 18680;
  private static BenchCluster cluster;
  private static Path home;
  private static Path out;

  @BeforeAll
  static void start() throws Exception {
    home = Path.of(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();
    out = home.resolve("bench/target/smoke");
    cluster =
        BenchCluster.start(
            new ClusterSettings(
                home,
                "embedded",
                2,
                GATEWAY_PORT,
                "384m",
                home.resolve("bench/target/smoke-run"),
                null,
                Bench.BENCH_SERVICE_ENV),
            Duration.ofMinutes(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject run(String scenario, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home", home.toString(),
            "--gateway", cluster.gateway().toString(),
            "--run-dir", cluster.settings().runDir().toString(),
            "--nodes", "2",
            "--out", out.resolve(scenario).toString()));
    Report report = Bench.run(scenario, Options.parse(all));
    JsonObject json =
        Json.createReader(
                new StringReader(Files.readString(out.resolve(scenario).resolve("result.json"))))
            .readObject();
    assertEquals(scenario, json.getString("scenario"));
    for (String field : List.of("parameters", "results", "environment", "series")) {
      assertTrue(json.containsKey(field), field + " missing in " + json);
    }
    assertTrue(
        json.getJsonObject("environment").getJsonObject("machine").containsKey("gitRevision"));
    assertTrue(!json.getJsonArray("targets").isEmpty(), "targets missing");
    assertTrue(Files.readString(out.resolve(scenario).resolve("plot.svg")).startsWith("<svg"));
    assertTrue(Files.readString(out.resolve(scenario).resolve("result.txt")).contains(scenario));
    assertTrue(report.completed(), scenario + " did not complete:\n" + report.table());
    return json.getJsonObject("results");
  }

  @Test
  @Order(1)
  void idle_holdsConnectionsFromTwoGeneratorProcesses() throws Exception {
    JsonObject r =
        run(
            "idle",
            "--connections",
            "60",
            "--processes",
            "2",
            "--duration",
            "5",
            "--no-histograms");
    assertEquals(60, r.getInt("connectionsHeldAtEnd"));
    assertEquals(0, r.getInt("dropped"));
    // the smoke cluster's nodes each took some of the 60 and were measured while they connected
    JsonObject perHandshake = r.getJsonObject("nodeCpuMsPerHandshake");
    assertEquals(r.getJsonObject("connectionsPerNode").keySet(), perHandshake.keySet());
    perHandshake.values().forEach(v -> assertTrue(((JsonNumber) v).doubleValue() >= 0));
  }

  @Test
  @Order(2)
  void fanout_deliversEveryMessageToEveryMember() throws Exception {
    JsonObject r = run("fanout", "--members", "30", "--messages", "20", "--rate", "20");
    assertEquals(
        r.getJsonNumber("deliveriesExpected").longValue(),
        r.getJsonNumber("deliveries").longValue());
    assertEquals(20, r.getInt("warmupMessages"), "the warm-up is sent first");
    assertEquals(20 * 29, r.getJsonNumber("warmupDeliveries").longValue());
    // Each node's socket writes over the measured sends, read from its readiness data.
    JsonObject writes = r.getJsonObject("writes");
    long frames = 0;
    for (String node : List.of("node-1", "node-2")) {
      frames += writes.getJsonObject(node).getJsonNumber("framesWritten").longValue();
    }
    assertTrue(frames >= 20 * 29, "the deliveries were written: " + writes);
    assertTrue(writes.getJsonNumber("framesPerWrite").doubleValue() >= 1, writes.toString());
  }

  @Test
  @Order(3)
  void chat_acknowledgesEveryMessage() throws Exception {
    JsonObject r =
        run(
            "chat",
            "--users",
            "20",
            "--rooms",
            "4",
            "--room-size",
            "5",
            "--rate",
            "20",
            "--warmup",
            "2",
            "--duration",
            "5");
    assertEquals(0, r.getInt("errors"));
    assertEquals(0, r.getInt("unanswered"));
    assertEquals(22, r.getInt("warmupAcked"), "the warm-up's sends are acked, not measured");
    assertEquals(100, r.getInt("acked"));
  }

  @Test
  @Order(4)
  void storm_afterADrainEveryoneIsBackAndNothingIsLost() throws Exception {
    JsonObject r = run("storm", "--clients", "40", "--room-size", "10", "--rate", "10");
    assertEquals(0, r.getInt("messagesLost"));
    assertTrue(r.getBoolean("allBackAndSynced"));
  }
}
