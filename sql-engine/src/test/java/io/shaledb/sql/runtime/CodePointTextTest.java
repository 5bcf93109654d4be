package io.shaledb.sql.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CodePointText} against a reference that works on the code point array
 * ({@link String#codePoints()}), with PostgreSQL's definitions of the functions, over text mixing
 * ASCII, Chinese, emoji, flags (two code points) and combining characters.
 */
class CodePointTextTest {
  private static final List<String> TEXTS = List.of("", "a", "😀", "🇨🇳🇯🇵", "cafe\u0301", "青花瓷茶杯",
      "a😀b😀c", "e\u0301\u0301😀", "𝄞x𝄞");

  @Test
  void lengthsCountCodePoints() {
    for (String text : TEXTS) {
      assertEquals(text.codePointCount(0, text.length()), CodePointText.charLength(text), text);
    }
    assertEquals(1, CodePointText.charLength("😀"));
    assertEquals(2, CodePointText.charLength("🇨🇳"));
    assertEquals(2, CodePointText.charLength("e\u0301"));
  }

  @Test
  void substringsSelectCodePointPositions() {
    for (String text : TEXTS) {
      int[] points = text.codePoints().toArray();
      for (int start = -2; start <= points.length + 2; start++) {
        assertEquals(reference(points, start, Integer.MAX_VALUE), CodePointText.substringFrom(text, start));
        for (int length = 0; length <= points.length + 3; length++) {
          String expected = reference(points, start, start + length);
          assertEquals(expected, CodePointText.substringFromFor(text, start, length), text + " " + start + " " + length);
        }
      }
    }
  }

  @Test
  void negativeSubstringLengthIs22011() {
    ShaleException error = assertThrows(ShaleException.class, () -> CodePointText.substringFromFor("abc", 1, -1));
    assertEquals(SqlState.SUBSTRING_ERROR, error.sqlState());
  }

  @Test
  void positionsCountCodePointsBeforeTheMatch() {
    for (String text : TEXTS) {
      int[] points = text.codePoints().toArray();
      for (int i = 0; i < points.length; i++) {
        String seek = new String(points, i, 1);
        int expected = firstIndex(points, points[i]) + 1;
        assertEquals(expected, CodePointText.position(seek, text), text + " " + seek);
        assertEquals(expected, CodePointText.strpos(text, seek));
        assertEquals(i + 1, CodePointText.positionFrom(seek, text, i + 1));
      }
      assertEquals(0, CodePointText.position("zz", text));
    }
    assertEquals(3, CodePointText.positionFrom("😀", "😀a😀b", -1));
    assertEquals(1, CodePointText.positionFrom("😀", "😀a😀b", -3));
  }

  @Test
  void leftRightAndPaddingCountCodePoints() {
    for (String text : TEXTS) {
      int[] points = text.codePoints().toArray();
      for (int n = -points.length - 1; n <= points.length + 1; n++) {
        int leftEnd = n >= 0 ? Math.min(n, points.length) : Math.max(points.length + n, 0);
        assertEquals(new String(points, 0, leftEnd), CodePointText.left(text, n), text + " " + n);
        int rightStart = n >= 0 ? Math.max(points.length - n, 0) : Math.min(-n, points.length);
        assertEquals(new String(points, rightStart, points.length - rightStart), CodePointText.right(text, n));
      }
      for (int length = 0; length <= points.length + 3; length++) {
        String padded = CodePointText.lpad(text, length, "🍵");
        assertEquals(length, padded.codePointCount(0, padded.length()), text + " " + length);
        assertEquals(length, CodePointText.charLength(CodePointText.rpadSpaces(text, length)));
      }
    }
    assertEquals("🍵·🍵😀", CodePointText.lpad("😀", 4, "🍵·"));
    assertEquals("😀  ", CodePointText.rpadSpaces("😀", 3));
  }

  @Test
  void reverseOverlayAndTranslateWorkOnCodePoints() {
    for (String text : TEXTS) {
      int[] points = text.codePoints().toArray();
      int[] reversed = new int[points.length];
      for (int i = 0; i < points.length; i++) {
        reversed[i] = points[points.length - 1 - i];
      }
      assertEquals(new String(reversed, 0, reversed.length), CodePointText.reverse(text));
      if (points.length > 0) {
        int[] replaced = points.clone();
        replaced[0] = "🍵".codePointAt(0);
        assertEquals(new String(replaced, 0, replaced.length), CodePointText.overlay(text, "🍵", 1));
        int[] translated = Arrays.stream(points).map(point -> point == points[0] ? "🍵".codePointAt(0) : point).toArray();
        assertEquals(new String(translated, 0, translated.length),
            CodePointText.translate(text, new String(points, 0, 1), "🍵"));
      }
    }
    assertEquals("a茶b😀c", CodePointText.overlayFor("a😀b😀c", "茶", 2, 1));
    assertEquals("cafe", CodePointText.translate("cafe\u0301", "\u0301", ""));
  }

  /** The code points at 1-based positions [start, end), clamped to the text. */
  @Test
  void castsCutAndPadByCodePoints() {
    for (String text : TEXTS) {
      int[] points = text.codePoints().toArray();
      for (int length = 1; length <= points.length + 2; length++) {
        String cut = reference(points, 1, 1 + length);
        assertEquals(cut, CodePointText.castToVarchar(text, length), text + " " + length);
        assertEquals(cut + " ".repeat(Math.max(length - points.length, 0)), CodePointText.castToChar(text, length),
            text + " " + length);
      }
    }
    assertEquals("a😀", CodePointText.castToVarchar("a😀b", 2));
    assertEquals("😀  ", CodePointText.castToChar("😀", 3));
    assertEquals("🇨🇳🇯", CodePointText.castToChar("🇨🇳🇯🇵", 3));
  }

  private static String reference(int[] points, long start, long end) {
    int from = (int) Math.max(start, 1) - 1;
    int to = (int) Math.min(end - 1, points.length);
    return to <= from ? "" : new String(Arrays.copyOfRange(points, from, to), 0, to - from);
  }

  private static int firstIndex(int[] points, int point) {
    for (int i = 0; i < points.length; i++) {
      if (points[i] == point) {
        return i;
      }
    }
    return -1;
  }
}
