package dev.parley.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service process seen from outside: resident memory and CPU time from {@code /proc}, heap
 * after a full GC and class histograms through {@code jcmd}.
 */
public record NodeProbe(String name, long pid) {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  // Linux reports /proc/<pid>/stat times in clock ticks; USER_HZ is 100 on every mainstream arch.
  private static final double TICKS_PER_SECOND = 100.0;

  public boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Resident set size in bytes. */
  public long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** User + system CPU seconds used so far. */
  public double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** Open file descriptors. */
  public int openFiles() {
    String[] fds = Path.of("/proc/" + pid + "/fd").toFile().list();
    return fds == null ? -1 : fds.length;
  }

  /** Runs a full GC, then returns the heap in use, in bytes. */
  public long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no heap use in jcmd GC.heap_info of " + name + ": " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** The live-object class histogram (it runs a full GC first). */
  public String classHistogram() throws IOException, InterruptedException {
    return jcmd("GC.class_histogram");
  }

  /** The JVM options the process was started with (what comes before {@code -jar}/the class). */
  public List<String> jvmFlags() throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
    String[] args = new String(raw, StandardCharsets.UTF_8).split("\0");
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("-jar") || args[i].equals("-cp") || !args[i].startsWith("-")) {
        break;
      }
      flags.add(args[i]);
    }
    return flags;
  }

  public String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(out));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
