package dev.parley.imnode.filter;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Masks or rejects message text that contains a blocked word. The words come from {@code
 * parley.imnode.filter.words} and, optionally, from the file {@code parley.imnode.filter.file},
 * which is re-read without a restart when its modification time (or size) changes.
 *
 * <p>Threading: {@link #apply} may be called by any number of threads at once and never blocks.
 * Each call reads one volatile reference to an immutable snapshot (the words, their automaton and
 * the policy). At most once per {@code parley.imnode.filter.reload-interval}, the first caller to
 * notice the interval has passed checks the file's attributes on its own thread and, if they
 * changed, reads the file and builds a new automaton, then publishes a new snapshot; callers that
 * arrive meanwhile keep using the old one. If the file cannot be read, the previous words stay in
 * force and a warning is logged once per distinct failure; the read is retried every interval.
 */
@ApplicationScoped
public class WordFilter {

  private static final System.Logger LOG = System.getLogger(WordFilter.class.getName());
  private static final FileStamp MISSING = new FileStamp(FileTime.fromMillis(0), -1);

  @Inject
  @ConfigProperty(name = "parley.imnode.filter.words")
  Optional<String> words;

  @Inject
  @ConfigProperty(name = "parley.imnode.filter.file")
  Optional<String> file;

  @Inject
  @ConfigProperty(name = "parley.imnode.filter.policy", defaultValue = "mask")
  String policy;

  @Inject
  @ConfigProperty(name = "parley.imnode.filter.whole-words", defaultValue = "false")
  boolean wholeWords;

  @Inject
  @ConfigProperty(name = "parley.imnode.filter.reload-interval", defaultValue = "PT10S")
  Duration reloadInterval;

  Clock clock = Clock.systemUTC();

  private List<String> configured = List.of();
  private Path path;
  private boolean reject;
  private final AtomicBoolean reloading = new AtomicBoolean();
  private volatile Snapshot snapshot = new Snapshot(BlockedWords.NONE, null, Instant.MAX, null);

  /** Reads the configuration and builds the first automaton; fails on an unknown policy. */
  @PostConstruct
  void init() {
    reject =
        switch (policy.strip().toLowerCase(Locale.ROOT)) {
          case "mask" -> false;
          case "reject" -> true;
          default ->
              throw new IllegalArgumentException(
                  "parley.imnode.filter.policy must be mask or reject, not '" + policy + "'");
        };
    configured =
        words.stream()
            .flatMap(w -> Arrays.stream(w.split(",")))
            .map(String::strip)
            .filter(w -> !w.isEmpty())
            .toList();
    path = file.map(String::strip).filter(f -> !f.isEmpty()).map(Path::of).orElse(null);
    Snapshot first =
        new Snapshot(BlockedWords.of(configured, wholeWords), MISSING, clock.instant(), null);
    // The volatile write publishes the fields above to every thread that later reads the snapshot.
    snapshot = path == null ? first.checked(Instant.MAX) : reload(first);
  }

  /**
   * Builds the automaton at deployment, not on the first message, and fails early on bad config.
   */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing is enough: CDI creates the bean, which runs init().
  }

  /**
   * The text to store and deliver: unchanged if it contains no blocked word; otherwise, by policy,
   * with every matched character replaced by {@code *} (one per code point), or refused.
   *
   * @param text a message body, not null
   * @return {@code text} itself when nothing matches (or no words are configured), else the masked
   *     copy
   * @throws ParleyException with {@link ErrorCode#MESSAGE_REJECTED} when the policy is {@code
   *     reject} and the text contains a blocked word; the message does not name the word
   */
  public String apply(String text) {
    Objects.requireNonNull(text, "text");
    BlockedWords blocked = current().words();
    if (blocked.isEmpty()) {
      return text;
    }
    if (reject) {
      if (blocked.matches(text)) {
        throw new ParleyException(
            ErrorCode.MESSAGE_REJECTED, "The message contains a blocked word");
      }
      return text;
    }
    return blocked.mask(text);
  }

  /** How many distinct words are blocked right now (configured and from the file together). */
  public int size() {
    return current().words().size();
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (path != null && !clock.instant().isBefore(s.nextCheck())) {
      if (reloading.compareAndSet(false, true)) {
        try {
          s = snapshot; // another thread may have reloaded since the read above
          if (!clock.instant().isBefore(s.nextCheck())) {
            s = reload(s);
            snapshot = s;
          }
        } finally {
          reloading.set(false);
        }
      }
    }
    return s;
  }

  /** Rebuilds from the file if its stamp changed; on failure keeps {@code previous}'s words. */
  private Snapshot reload(Snapshot previous) {
    Instant next = clock.instant().plus(reloadInterval);
    FileStamp stamp;
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      stamp = new FileStamp(attributes.lastModifiedTime(), attributes.size());
    } catch (IOException e) {
      return failed(previous, next, MISSING, e);
    }
    if (stamp.equals(previous.stamp())) {
      return previous.checked(next);
    }
    List<String> fromFile;
    try {
      fromFile = read(path);
    } catch (IOException e) {
      return failed(previous, next, stamp, e);
    }
    List<String> all = new ArrayList<>(configured);
    all.addAll(fromFile);
    BlockedWords built = BlockedWords.of(all, wholeWords);
    LOG.log(
        Level.INFO,
        "Blocking {0} words: {1} configured, {2} from {3}",
        built.size(),
        configured.size(),
        fromFile.size(),
        path);
    return new Snapshot(built, stamp, next, null);
  }

  private Snapshot failed(Snapshot previous, Instant next, FileStamp failure, Exception e) {
    if (!failure.equals(previous.failure())) {
      LOG.log(
          Level.WARNING,
          "Cannot read the blocked-word file {0} ({1}); keeping the previous {2} words",
          path,
          e.toString(),
          previous.words().size());
    }
    // The stamp stays the old one, so the file is read again at the next check.
    return new Snapshot(previous.words(), previous.stamp(), next, failure);
  }

  /** The file's words: one per line, blank lines and lines starting with # skipped. */
  static List<String> read(Path path) throws IOException {
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    List<String> words = new ArrayList<>(lines.size());
    for (String line : lines) {
      String w = line.replace("\uFEFF", "").strip();
      if (!w.isEmpty() && !w.startsWith("#")) {
        words.add(w);
      }
    }
    return words;
  }

  /**
   * What is compared to notice a changed file; size too, as some file systems keep coarse times.
   */
  private record FileStamp(FileTime modified, long size) {}

  /**
   * What {@link #apply} works with, replaced as a whole. {@code stamp} is the file state the words
   * were built from, {@code failure} the last file state that could not be read (or null).
   */
  private record Snapshot(
      BlockedWords words, FileStamp stamp, Instant nextCheck, FileStamp failure) {
    Snapshot checked(Instant next) {
      return new Snapshot(words, stamp, next, null);
    }
  }
}
