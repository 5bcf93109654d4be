package io.shaledb.storage;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped mutual exclusion for the check-then-write sections of one shard. Keys hash to a fixed
 * number of stripes; a section that touches several keys takes their stripes in ascending stripe
 * order, so sections never deadlock. Readers never take latches.
 */
final class KeyLatches {
  private final ReentrantLock[] stripes;

  KeyLatches(int stripeCount) {
    if (Integer.bitCount(stripeCount) != 1) {
      throw new IllegalArgumentException("stripe count must be a power of two: " + stripeCount);
    }
    stripes = new ReentrantLock[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** Latches every stripe of {@code keys} (duplicates allowed); close the result to release them. */
  Held lockAll(List<byte[]> keys) {
    int[] indexes = new int[keys.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = stripeOf(keys.get(i));
    }
    Arrays.sort(indexes);
    int distinct = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i == 0 || indexes[i] != indexes[i - 1]) {
        indexes[distinct++] = indexes[i];
      }
    }
    int[] held = Arrays.copyOf(indexes, distinct);
    int locked = 0;
    try {
      for (int index : held) {
        stripes[index].lock();
        locked++;
      }
    } catch (RuntimeException | Error e) {
      for (int i = locked - 1; i >= 0; i--) {
        stripes[held[i]].unlock();
      }
      throw e;
    }
    return new Held(held);
  }

  Held lock(byte[] key) {
    return lockAll(List.of(key));
  }

  private int stripeOf(byte[] key) {
    int h = Arrays.hashCode(key);
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h & (stripes.length - 1);
  }

  /** Stripes held by one section. */
  final class Held implements AutoCloseable {
    private final int[] indexes;

    private Held(int[] indexes) {
      this.indexes = indexes;
    }

    @Override
    public void close() {
      for (int i = indexes.length - 1; i >= 0; i--) {
        stripes[indexes[i]].unlock();
      }
    }
  }
}
