package dev.parley.imnode.filter;

import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.ahocorasick.trie.Emit;
import org.ahocorasick.trie.Trie;

/**
 * An immutable set of blocked words and the Aho-Corasick automaton built from it, once. Matching is
 * case-insensitive by simple per-code-point case folding; either anywhere in the text (substring,
 * which also catches words inside CJK runs and glued-together obfuscations) or only as whole words,
 * bounded by the text's edges or by characters that are not letters, digits or combining marks.
 *
 * <p>Thread-safe: built completely in {@link #of} and never changed afterwards, so any number of
 * threads may call {@link #mask} and {@link #matches} at once once it has been safely published.
 */
final class BlockedWords {

  static final BlockedWords NONE = new BlockedWords(Set.of(), null, false);

  private final Set<String> words;
  private final Trie trie;
  private final boolean wholeWords;

  private BlockedWords(Set<String> words, Trie trie, boolean wholeWords) {
    this.words = words;
    this.trie = trie;
    this.wholeWords = wholeWords;
  }

  /** Builds the automaton; blank entries are ignored, the others stripped of surrounding space. */
  static BlockedWords of(Collection<String> words, boolean wholeWords) {
    Set<String> folded = new LinkedHashSet<>();
    for (String word : words) {
      String w = word.strip();
      if (!w.isEmpty()) {
        folded.add(fold(w));
      }
    }
    if (folded.isEmpty()) {
      return NONE;
    }
    // No ignoreCase(): the library lower-cases char by char, which misses supplementary letters;
    // both sides are folded here instead.
    Trie trie = Trie.builder().addKeywords(folded).build();
    return new BlockedWords(Set.copyOf(folded), trie, wholeWords);
  }

  boolean isEmpty() {
    return trie == null;
  }

  /** How many distinct (case-folded) words are blocked. */
  int size() {
    return words.size();
  }

  /** Whether the text contains a blocked word. */
  boolean matches(String text) {
    if (trie == null || text.isEmpty()) {
      return false;
    }
    String folded = fold(text);
    if (!wholeWords) {
      return trie.containsMatch(folded);
    }
    for (Emit emit : trie.parseText(folded)) {
      if (isWholeWord(folded, emit)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text with every character of every match, overlapping ones included, replaced by one {@code
   * *} per code point, so an emoji or a supplementary CJK character becomes one star and no
   * surrogate pair is split. Returns the same instance when nothing matches.
   */
  String mask(String text) {
    if (trie == null || text.isEmpty()) {
      return text;
    }
    String folded = fold(text);
    BitSet hit = new BitSet();
    trie.parseText(
        folded,
        emit -> {
          if (!wholeWords || isWholeWord(folded, emit)) {
            hit.set(emit.getStart(), emit.getEnd() + 1);
          }
          return true;
        });
    if (hit.isEmpty()) {
      return text;
    }
    StringBuilder masked = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int chars = Character.charCount(cp);
      int next = hit.nextSetBit(i);
      if (next < 0 || next >= i + chars) {
        masked.appendCodePoint(cp);
      } else {
        masked.append('*');
      }
      i += chars;
    }
    return masked.toString();
  }

  /**
   * Simple case folding per code point (upper, then lower, so e.g. final sigma and sigma agree).
   * The result has the same length in chars as the input, so match positions in the folded text are
   * positions in the original.
   */
  static String fold(String text) {
    StringBuilder folded = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int chars = Character.charCount(cp);
      int f = Character.toLowerCase(Character.toUpperCase(cp));
      if (f != cp && Character.charCount(f) == chars) {
        if (folded == null) {
          folded = new StringBuilder(text.length()).append(text, 0, i);
        }
        folded.appendCodePoint(f);
      } else if (folded != null) {
        folded.appendCodePoint(cp);
      }
      i += chars;
    }
    return folded == null ? text : folded.toString();
  }

  private static boolean isWholeWord(String text, Emit emit) {
    int start = emit.getStart();
    int end = emit.getEnd() + 1;
    return (start == 0 || !isWordPart(text.codePointBefore(start)))
        && (end == text.length() || !isWordPart(text.codePointAt(end)));
  }

  private static boolean isWordPart(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }
}
