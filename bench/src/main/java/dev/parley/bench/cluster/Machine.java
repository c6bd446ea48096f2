package dev.parley.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a result was measured on: the machine, the generator's JVM, the source revision. */
public final class Machine {

  private Machine() {}

  public static Map<String, Object> describe(Path home) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", read("/proc/sys/kernel/hostname").strip());
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpuModel", field("/proc/cpuinfo", "model name"));
    m.put("memTotal", field("/proc/meminfo", "MemTotal"));
    m.put("kernel", read("/proc/sys/kernel/osrelease").strip());
    m.put("openFilesLimitPerProcess", field("/proc/self/limits", "Max open files"));
    m.put("loadAverage", read("/proc/loadavg").strip());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("gitRevision", git(home, "rev-parse", "HEAD"));
    m.put("gitDirty", !git(home, "status", "--porcelain", "--untracked-files=no").isBlank());
    return m;
  }

  private static String field(String file, String name) {
    for (String line : read(file).split("\n")) {
      if (line.startsWith(name)) {
        String v = line.substring(name.length()).replaceFirst("^\\s*:?\\s*", "");
        return v.strip().replaceAll("\\s+", " ");
      }
    }
    return "";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }

  private static String git(Path home, String... args) {
    try {
      List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", home.toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
