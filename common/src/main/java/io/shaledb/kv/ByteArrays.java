package io.shaledb.kv;

import java.util.Arrays;
import java.util.Comparator;

/** Unsigned lexicographic order on byte strings: the order of every key in ShaleDB. */
public final class ByteArrays {
  public static final Comparator<byte[]> UNSIGNED = ByteArrays::compare;

  private ByteArrays() {}

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The smallest byte string greater than every string that starts with {@code prefix}.
   *
   * @throws IllegalArgumentException if the prefix is all 0xff (no such string exists)
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    throw new IllegalArgumentException("prefix has no upper bound");
  }
}
