package dev.parley.imnode.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordFilterTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private final WordFilter filter = new WordFilter();

  {
    filter.words = Optional.empty();
    filter.file = Optional.empty();
    filter.policy = "mask";
    filter.wholeWords = false;
    filter.reloadInterval = Duration.ofSeconds(10);
    filter.clock = Clock.fixed(START, ZoneOffset.UTC);
  }

  private void advance(Duration by) {
    filter.clock = Clock.offset(filter.clock, by);
  }

  /** Writes the file and gives it an explicit modification time, so no test waits for a tick. */
  private Path write(String content, int minute) throws IOException {
    Path words = dir.resolve("blocked.txt");
    Files.writeString(words, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(words, FileTime.from(START.plus(Duration.ofMinutes(minute))));
    return words;
  }

  private void useFile(Path words) {
    filter.file = Optional.of(words.toString());
  }

  @Test
  void apply_masksConfiguredWordsByDefault() {
    filter.words = Optional.of("spam, scam ,,");
    filter.init();
    assertEquals("**** or ****?", filter.apply("SPAM or scam?"));
  }

  @Test
  void apply_withoutWordsReturnsTheSameText() {
    filter.init();
    String text = "whatever you say";
    assertSame(text, filter.apply(text));
    assertEquals(0, filter.size());
  }

  @Test
  void apply_rejectPolicyThrowsMessageRejectedWithoutNamingTheWord() {
    filter.words = Optional.of("spam");
    filter.policy = "reject";
    filter.init();
    ParleyException e = assertThrows(ParleyException.class, () -> filter.apply("buy Spam now"));
    assertEquals(ErrorCode.MESSAGE_REJECTED, e.code());
    assertEquals("The message contains a blocked word", e.getMessage());
    assertFalse(e.getMessage().toLowerCase().contains("spam"));
  }

  @Test
  void apply_rejectPolicyPassesCleanTextUnchanged() {
    filter.words = Optional.of("spam");
    filter.policy = "REJECT";
    filter.init();
    String text = "buy eggs now";
    assertSame(text, filter.apply(text));
  }

  @Test
  void apply_wholeWordsOptionLeavesWordsThatOnlyContainAMatch() {
    filter.words = Optional.of("ass");
    filter.wholeWords = true;
    filter.init();
    assertEquals("class ***", filter.apply("class ass"));
  }

  @Test
  void apply_combinesConfiguredAndFileWords() throws IOException {
    filter.words = Optional.of("spam");
    useFile(write("# one word per line\n\nscam\n  fraud  \n", 0));
    filter.init();
    assertEquals("****, ****, *****, ham", filter.apply("spam, scam, FRAUD, ham"));
    assertEquals(3, filter.size());
  }

  @Test
  void apply_picksUpAChangedFileAfterTheReloadInterval() throws IOException {
    Path words = write("foo\n", 0);
    useFile(words);
    filter.init();
    assertEquals("*** bar", filter.apply("foo bar"));

    write("bar\n", 1);
    advance(Duration.ofSeconds(9));
    assertEquals("*** bar", filter.apply("foo bar"), "checked at most once per interval");
    advance(Duration.ofSeconds(1));
    assertEquals("foo ***", filter.apply("foo bar"));
  }

  @Test
  void apply_keepsThePreviousWordsWhenTheFileBecomesUnreadable() throws IOException {
    Path words = write("foo\n", 0);
    useFile(words);
    filter.init();

    Files.write(words, new byte[] {'b', 'a', 'r', (byte) 0xFF, (byte) 0xFE, '\n'});
    Files.setLastModifiedTime(words, FileTime.from(START.plus(Duration.ofMinutes(1))));
    advance(Duration.ofSeconds(10));
    assertEquals("*** bar", filter.apply("foo bar"));

    write("bar\n", 2);
    advance(Duration.ofSeconds(10));
    assertEquals("foo ***", filter.apply("foo bar"), "a repaired file is read again");
  }

  @Test
  void apply_keepsThePreviousWordsWhenTheFileIsDeleted() throws IOException {
    Path words = write("foo\n", 0);
    useFile(words);
    filter.init();

    Files.delete(words);
    advance(Duration.ofSeconds(10));
    assertEquals("*** bar", filter.apply("foo bar"));
    advance(Duration.ofSeconds(10));
    assertEquals("*** bar", filter.apply("foo bar"));
  }

  @Test
  void apply_readsAFileThatAppearsAfterStart() throws IOException {
    filter.words = Optional.of("spam");
    useFile(dir.resolve("blocked.txt"));
    filter.init();
    assertEquals("**** foo", filter.apply("spam foo"));

    write("foo\n", 0);
    advance(Duration.ofSeconds(10));
    assertEquals("**** ***", filter.apply("spam foo"));
  }

  @Test
  void init_refusesAnUnknownPolicy() {
    filter.policy = "shout";
    assertThrows(IllegalArgumentException.class, filter::init);
  }

  @Test
  void read_skipsCommentsBlankLinesAndAByteOrderMark() throws IOException {
    Path words = write("\uFEFFfirst\n# a comment\n\n  second word  \r\n", 0);
    assertEquals(List.of("first", "second word"), WordFilter.read(words));
  }

  @Test
  void apply_masksEmojiAndCjkFromTheFileOneStarPerCodePoint() throws IOException {
    useFile(write("坏蛋\n🍺\n", 0));
    filter.init();
    String text = "你是坏蛋🍺";
    String masked = filter.apply(text);
    assertEquals("你是***", masked);
    assertEquals(text.codePointCount(0, text.length()), masked.length());
  }
}
