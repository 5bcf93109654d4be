package io.shaledb.sql.runtime;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import org.apache.calcite.linq4j.function.Strict;

/**
 * The string functions whose positions and lengths count characters, implemented over code points
 * as PostgreSQL does: an emoji is one character, a flag two (its two regional indicators), a
 * letter with a combining accent two.
 *
 * <p>Calcite's implementations ({@code SqlFunctions.charLength}, {@code substring}, ...) count
 * Java's UTF-16 units, so text outside the Basic Multilingual Plane got lengths twice too long and
 * could be cut inside a surrogate pair. {@link CodePointCalls} makes the calls invoke these methods
 * instead; Calcite's code generator calls them by reflection (hence public). Each is strict: a
 * null argument gives null without a call.
 */
public final class CodePointText {
  private CodePointText() {}

  /** CHAR_LENGTH, CHARACTER_LENGTH, LENGTH. */
  @Strict
  public static int charLength(String text) {
    return text.codePointCount(0, text.length());
  }

  /** SUBSTRING(text FROM start): from the 1-based {@code start}th character to the end. */
  @Strict
  public static String substringFrom(String text, long start) {
    return slice(text, start, Long.MAX_VALUE);
  }

  /**
   * SUBSTRING(text FROM start FOR length): the characters at positions {@code start} up to
   * {@code start + length} (excluded); positions before the first character select nothing, as
   * in PostgreSQL ({@code SUBSTRING('abc' FROM 0 FOR 2)} is {@code 'a'}). A negative length is 22011.
   */
  @Strict
  public static String substringFromFor(String text, long start, long length) {
    if (length < 0) {
      throw new ShaleException(SqlState.SUBSTRING_ERROR, "negative substring length not allowed");
    }
    long end = start > Long.MAX_VALUE - length ? Long.MAX_VALUE : start + length;
    return slice(text, start, end);
  }

  /** POSITION(seek IN text): the 1-based character position of the first occurrence, 0 if none. */
  @Strict
  public static int position(String seek, String text) {
    int index = text.indexOf(seek);
    return index < 0 ? 0 : text.codePointCount(0, index) + 1;
  }

  /**
   * POSITION(seek IN text FROM from): searches forwards from character {@code from}; a negative
   * {@code from} searches backwards from the {@code -from}th character counted from the end (as
   * Calcite's INSTR-like form does). 0 if not found or {@code from} is 0 or beyond the text.
   */
  @Strict
  public static int positionFrom(String seek, String text, long from) {
    int characters = charLength(text);
    if (from == 0 || from > characters + 1L || -from > characters) {
      return 0;
    }
    int index = from > 0
        ? text.indexOf(seek, text.offsetByCodePoints(0, (int) from - 1))
        : text.lastIndexOf(seek, text.offsetByCodePoints(0, characters + (int) from));
    return index < 0 ? 0 : text.codePointCount(0, index) + 1;
  }

  /** STRPOS(text, seek), PostgreSQL's spelling of POSITION with the arguments swapped. */
  @Strict
  public static int strpos(String text, String seek) {
    return position(seek, text);
  }

  /** LEFT(text, n): the first n characters; with a negative n all but the last -n (PostgreSQL). */
  @Strict
  public static String left(String text, long n) {
    long characters = charLength(text);
    return slice(text, 1, 1 + (n >= 0 ? n : Math.max(characters + n, 0)));
  }

  /** RIGHT(text, n): the last n characters; with a negative n all but the first -n (PostgreSQL). */
  @Strict
  public static String right(String text, long n) {
    long characters = charLength(text);
    return slice(text, 1 + (n >= 0 ? Math.max(characters - n, 0) : Math.min(-n, characters)), Long.MAX_VALUE);
  }

  /** LPAD(text, length): padded on the left with spaces, or cut, to {@code length} characters. */
  @Strict
  public static String lpadSpaces(String text, long length) {
    return pad(text, length, " ", true);
  }

  /** LPAD(text, length, fill): padded on the left with {@code fill} repeated, or cut. */
  @Strict
  public static String lpad(String text, long length, String fill) {
    return pad(text, length, fill, true);
  }

  /** RPAD(text, length): padded on the right with spaces, or cut, to {@code length} characters. */
  @Strict
  public static String rpadSpaces(String text, long length) {
    return pad(text, length, " ", false);
  }

  /** RPAD(text, length, fill): padded on the right with {@code fill} repeated, or cut. */
  @Strict
  public static String rpad(String text, long length, String fill) {
    return pad(text, length, fill, false);
  }

  /** OVERLAY(text PLACING replacement FROM start): replaces as many characters as the replacement has. */
  @Strict
  public static String overlay(String text, String replacement, long start) {
    return overlayFor(text, replacement, start, charLength(replacement));
  }

  /**
   * OVERLAY(text PLACING replacement FROM start FOR length), defined as PostgreSQL defines it:
   * {@code SUBSTRING(text FROM 1 FOR start - 1) || replacement || SUBSTRING(text FROM start + length)}.
   */
  @Strict
  public static String overlayFor(String text, String replacement, long start, long length) {
    return substringFromFor(text, 1, start - 1) + replacement + substringFrom(text, start + length);
  }

  /** REVERSE(text): the characters in reverse order (a surrogate pair stays a pair). */
  @Strict
  public static String reverse(String text) {
    return new StringBuilder(text).reverse().toString();
  }

  /**
   * TRANSLATE(text, from, to): each character found in {@code from} becomes the character at the
   * same position in {@code to}, or is removed where {@code to} is shorter.
   */
  @Strict
  public static String translate(String text, String from, String to) {
    int[] fromCharacters = from.codePoints().toArray();
    int[] toCharacters = to.codePoints().toArray();
    StringBuilder result = new StringBuilder(text.length());
    text.codePoints().forEach(character -> {
      int index = indexOf(fromCharacters, character);
      if (index < 0) {
        result.appendCodePoint(character);
      } else if (index < toCharacters.length) {
        result.appendCodePoint(toCharacters[index]);
      }
    });
    return result.toString();
  }

  /**
   * CAST(text AS VARCHAR(length)): the first {@code length} characters. Calcite's cast cuts after
   * {@code length} UTF-16 units, which can leave half a surrogate pair.
   */
  @Strict
  public static String castToVarchar(String text, int length) {
    return slice(text, 1, 1 + (long) length);
  }

  /** CAST(text AS CHAR(length)): the first {@code length} characters, padded with spaces to {@code length}. */
  @Strict
  public static String castToChar(String text, int length) {
    return pad(text, length, " ", false);
  }

  private static int indexOf(int[] characters, int character) {
    for (int i = 0; i < characters.length; i++) {
      if (characters[i] == character) {
        return i;
      }
    }
    return -1;
  }

  private static String pad(String text, long length, String fill, boolean left) {
    int characters = charLength(text);
    if (length <= characters) {
      return slice(text, 1, 1 + Math.max(length, 0));
    }
    if (fill.isEmpty()) {
      return text;
    }
    if (length > Integer.MAX_VALUE) {
      throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "requested length too large");
    }
    int[] fillCharacters = fill.codePoints().toArray();
    StringBuilder padding = new StringBuilder();
    for (int i = 0; i < length - characters; i++) {
      padding.appendCodePoint(fillCharacters[i % fillCharacters.length]);
    }
    return left ? padding + text : text + padding;
  }

  /** The characters at 1-based positions {@code start} (included) to {@code end} (excluded), clamped to the text. */
  private static String slice(String text, long start, long end) {
    int characters = charLength(text);
    long from = Math.max(start, 1);
    long to = Math.min(end, characters + 1L);
    if (to <= from) {
      return "";
    }
    int begin = text.offsetByCodePoints(0, (int) from - 1);
    return text.substring(begin, text.offsetByCodePoints(begin, (int) (to - from)));
  }
}
