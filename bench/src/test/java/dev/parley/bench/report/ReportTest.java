package dev.parley.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @Test
  void write_producesParsableJsonTableAndSvg(@TempDir Path dir) throws Exception {
    Series s = new Series("open \"quoted\"");
    s.add(0, 1);
    s.add(1, 2.5);
    Report r =
        new Report("idle")
            .parameter("connections", 10)
            .result("dropped", 0)
            .result("nested", java.util.Map.of("x", 1.5))
            .target("heap", "<= 8 KB", "3.2 KB", true)
            .plot("title", "x", "y", s)
            .completed(true);
    r.write(dir);
    JsonObject json =
        jakarta.json.Json.createReader(
                new StringReader(Files.readString(dir.resolve("result.json"))))
            .readObject();
    assertEquals("idle", json.getString("scenario"));
    assertTrue(json.getBoolean("completed"));
    assertEquals(1, json.getJsonArray("targets").size());
    assertTrue(
        Files.readString(dir.resolve("plot.svg")).contains("&quot;")
            || Files.readString(dir.resolve("plot.svg")).contains("quoted"));
    assertTrue(Files.readString(dir.resolve("result.txt")).contains("heap"));
  }
}
