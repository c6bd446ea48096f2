package dev.parley.imnode.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockedWordsTest {

  private static BlockedWords substrings(String... words) {
    return BlockedWords.of(List.of(words), false);
  }

  private static BlockedWords wholeWords(String... words) {
    return BlockedWords.of(List.of(words), true);
  }

  @Test
  void mask_replacesEveryMatchWithStars() {
    assertEquals(
        "**** and **** and ****", substrings("spam", "scam").mask("spam and scam and spam"));
  }

  @Test
  void mask_coversOverlappingAndNestedMatches() {
    assertEquals("x****e", substrings("abc", "bcd").mask("xabcde"));
    assertEquals("u*****", substrings("he", "she", "hers").mask("ushers"));
  }

  @Test
  void mask_ignoresCase() {
    assertEquals("**** ****", substrings("spam").mask("SPAM sPaM"));
    assertEquals("so viel *****", substrings("ärger").mask("so viel ÄRGER"));
    assertEquals("***** gibt es", substrings("ÄRGER").mask("ärger gibt es"));
    // Final sigma folds like sigma.
    assertEquals("******", substrings("ΚΟΣΜΟΣ").mask("κοσμο\u03C2"));
  }

  @Test
  void mask_ignoresCaseOfSupplementaryLetters() {
    // U+10400 DESERET CAPITAL LONG I and U+10428 its small letter: two chars each.
    assertEquals("a*b", substrings("\uD801\uDC00").mask("a\uD801\uDC28b"));
  }

  @Test
  void mask_keepsCodePointCountForEmojiAndCjk() {
    assertMaskedPerCodePoint(substrings("坏蛋").mask("你是坏蛋吗"), "你是**吗");
    assertMaskedPerCodePoint(substrings("🍺").mask("I like 🍺🍺!"), "I like **!");
    assertMaskedPerCodePoint(substrings("𠀀𠀁").mask("𠀀𠀀𠀁x"), "𠀀**x");
    assertMaskedPerCodePoint(substrings("bad").mask("😀bad😀"), "😀***😀");
  }

  private static void assertMaskedPerCodePoint(String masked, String expected) {
    assertEquals(expected, masked);
    for (int i = 0; i < masked.length(); i++) {
      char c = masked.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(Character.isLowSurrogate(masked.charAt(++i)), "split pair in " + masked);
      } else {
        assertFalse(Character.isLowSurrogate(c), "split pair in " + masked);
      }
    }
  }

  @Test
  void mask_returnsTheSameTextWhenNothingMatches() {
    String text = "nothing to see";
    assertSame(text, substrings("spam").mask(text));
  }

  @Test
  void mask_substringModeMatchesInsideWords() {
    assertEquals("cl*** ***ignment", substrings("ass").mask("class assignment"));
  }

  @Test
  void mask_wholeWordsSkipsMatchesInsideWords() {
    BlockedWords words = wholeWords("ass", "ärger");
    assertEquals("class assignment", words.mask("class assignment"));
    assertEquals("you ***! ***, *** ", words.mask("you ass! Ass, ass "));
    assertEquals("ärgerlich", words.mask("ärgerlich"));
    assertEquals("kein *****.", words.mask("kein Ärger."));
    assertEquals("ass1", words.mask("ass1"));
  }

  @Test
  void matches_findsAnyBlockedWordIgnoringCase() {
    assertTrue(substrings("spam").matches("buy SPAM now"));
    assertFalse(substrings("spam").matches("buy eggs now"));
    assertTrue(substrings("spam").matches("spammer"));
    assertFalse(wholeWords("spam").matches("spammer"));
    assertTrue(wholeWords("spam").matches("spammer spam"));
  }

  @Test
  void of_ignoresBlankEntriesAndStripsTheOthers() {
    assertTrue(substrings("", "  ").isEmpty());
    BlockedWords words = substrings(" spam ", "SPAM", "");
    assertEquals(1, words.size());
    assertEquals("x****x and ****", words.mask("xspamx and Spam"));
  }

  @Test
  void emptyList_passesEverythingThrough() {
    BlockedWords none = substrings();
    String text = "anything";
    assertTrue(none.isEmpty());
    assertSame(text, none.mask(text));
    assertFalse(none.matches(text));
  }
}
