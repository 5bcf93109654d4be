package io.shaledb.kv.encoding;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for CHAR and VARCHAR values. Unlike {@link String#getBytes}, an unpaired surrogate
 * is rejected instead of silently becoming '?', and malformed input is rejected instead of becoming
 * U+FFFD: a stored string must read back exactly, and corruption must surface.
 */
final class Utf8 {
  /** Leaves room for the length prefix or terminator and the rest of a key or row in one array. */
  static final int MAX_ENCODED_BYTES = Integer.MAX_VALUE / 2;

  private Utf8() {}

  /**
   * The number of bytes {@link #encode} writes for {@code s}.
   *
   * @param escapeNul whether U+0000 is written as the two bytes 0x00 0xff (key encoding)
   * @throws IllegalArgumentException if {@code s} contains an unpaired surrogate
   */
  static int encodedLength(String s, ColumnType type, boolean escapeNul) {
    int chars = s.length();
    long bytes = chars;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == 0 && escapeNul) {
          bytes++;
        }
      } else if (c < 0x800) {
        bytes += 1;
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 == chars || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException(type + " value has an unpaired surrogate at index " + i);
        }
        // Two chars become four bytes: two counted already, two more here.
        bytes += 2;
        i++;
      } else {
        bytes += 2;
      }
    }
    if (bytes > MAX_ENCODED_BYTES) {
      throw new IllegalArgumentException(type + " value takes " + bytes + " UTF-8 bytes, more than " + MAX_ENCODED_BYTES);
    }
    return (int) bytes;
  }

  /**
   * Writes {@code s} into {@code target} from {@code offset}, which must have room for
   * {@link #encodedLength} bytes of an already validated string.
   *
   * @return the offset after the last byte written
   */
  static int encode(String s, boolean escapeNul, byte[] target, int offset) {
    int chars = s.length();
    int out = offset;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        target[out++] = (byte) c;
        if (c == 0 && escapeNul) {
          target[out++] = (byte) 0xff;
        }
      } else if (c < 0x800) {
        target[out++] = (byte) (0xc0 | (c >>> 6));
        target[out++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)) {
        int codePoint = Character.toCodePoint(c, s.charAt(++i));
        target[out++] = (byte) (0xf0 | (codePoint >>> 18));
        target[out++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3f));
        target[out++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3f));
        target[out++] = (byte) (0x80 | (codePoint & 0x3f));
      } else {
        target[out++] = (byte) (0xe0 | (c >>> 12));
        target[out++] = (byte) (0x80 | ((c >>> 6) & 0x3f));
        target[out++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return out;
  }

  /**
   * Decodes well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF).
   *
   * @throws IllegalArgumentException naming {@code what} if the bytes are not well-formed
   */
  static String decode(byte[] source, int offset, int length, String what) {
    int end = offset + length;
    int i = offset;
    while (i < end && source[i] >= 0) {
      i++;
    }
    if (i == end) {
      // All ASCII: Latin-1 decoding is a plain copy into a compact string.
      return new String(source, offset, length, StandardCharsets.ISO_8859_1);
    }
    char[] chars = new char[length];
    int count = 0;
    for (int j = offset; j < i; j++) {
      chars[count++] = (char) source[j];
    }
    while (i < end) {
      int b0 = source[i] & 0xff;
      if (b0 < 0x80) {
        chars[count++] = (char) b0;
        i++;
      } else if (b0 < 0xc2) {
        throw malformed(what, i - offset);
      } else if (b0 < 0xe0) {
        int b1 = continuation(source, i + 1, end, what, offset);
        chars[count++] = (char) (((b0 & 0x1f) << 6) | b1);
        i += 2;
      } else if (b0 < 0xf0) {
        int b1 = continuation(source, i + 1, end, what, offset);
        int b2 = continuation(source, i + 2, end, what, offset);
        int c = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
        if (c < 0x800 || Character.isSurrogate((char) c)) {
          throw malformed(what, i - offset);
        }
        chars[count++] = (char) c;
        i += 3;
      } else if (b0 < 0xf5) {
        int b1 = continuation(source, i + 1, end, what, offset);
        int b2 = continuation(source, i + 2, end, what, offset);
        int b3 = continuation(source, i + 3, end, what, offset);
        int codePoint = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
        if (codePoint < 0x10000 || codePoint > Character.MAX_CODE_POINT) {
          throw malformed(what, i - offset);
        }
        chars[count++] = Character.highSurrogate(codePoint);
        chars[count++] = Character.lowSurrogate(codePoint);
        i += 4;
      } else {
        throw malformed(what, i - offset);
      }
    }
    return new String(chars, 0, count);
  }

  /** The low six bits of the continuation byte at {@code index}. */
  private static int continuation(byte[] source, int index, int end, String what, int offset) {
    if (index >= end || (source[index] & 0xc0) != 0x80) {
      throw malformed(what, index - offset);
    }
    return source[index] & 0x3f;
  }

  private static IllegalArgumentException malformed(String what, int byteIndex) {
    return new IllegalArgumentException("malformed UTF-8 in " + what + " at byte " + byteIndex);
  }
}
