package io.shaledb.sql.stats;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** 64-bit hashes of column values (as the row codec decodes them) for the statistics' sketches and samples. */
final class ValueHash {
  private ValueHash() {}

  static long of(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return mix(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      return mix(Double.doubleToLongBits(((Number) value).doubleValue()));
    }
    if (value instanceof BigDecimal decimal) {
      // Equal numbers hash alike whatever their scale, as they compare.
      BigDecimal normal = decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
      return mix(bytes(normal.unscaledValue().toByteArray()) * 31 + normal.scale());
    }
    if (value instanceof Boolean bool) {
      return mix(bool ? 1 : 0);
    }
    if (value instanceof String text) {
      return mix(bytes(text.getBytes(StandardCharsets.UTF_8)));
    }
    if (value instanceof byte[] data) {
      return mix(bytes(data));
    }
    return mix(value.hashCode());
  }

  /** FNV-1a over {@code data}. */
  static long bytes(byte[] data) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : data) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** SplitMix64's finalizer: every input bit affects every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
