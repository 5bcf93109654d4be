package io.shaledb.kv;

/**
 * Which shard of its keyspace a key lives in: {@code floorMod(murmur3_x86_32(key bytes after the
 * keyspace prefix, seed 0), shardCount)}. This function decides where data is stored, so it must
 * never change: MurmurHash3 x86 32-bit (Austin Appleby, public domain reference {@code
 * MurmurHash3_x86_32}) with seed 0, bytes read little-endian in 4-byte blocks.
 *
 * <p>Part of the KV contract, not of one store: a writer that groups keys by it (restore) gets
 * transactions that touch one shard each, which commit in one phase.
 */
public final class KeyRouting {
  private static final int SEED = 0;
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private KeyRouting() {}

  /**
   * The index (0-based, in the keyspace's shard list) of the shard that owns {@code key}.
   *
   * @throws IllegalArgumentException if the key is shorter than a keyspace prefix or shardCount < 1
   */
  public static int shardIndex(byte[] key, int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shardCount must be >= 1: " + shardCount);
    }
    if (key.length < Keyspaces.PREFIX_BYTES) {
      throw new IllegalArgumentException("key shorter than a keyspace prefix: " + key.length + " bytes");
    }
    int hash = murmur3x86x32(key, Keyspaces.PREFIX_BYTES, key.length - Keyspaces.PREFIX_BYTES, SEED);
    return Math.floorMod(hash, shardCount);
  }

  /** MurmurHash3_x86_32 of {@code data[offset, offset + length)}. */
  static int murmur3x86x32(byte[] data, int offset, int length, int seed) {
    int h1 = seed;
    int blocksEnd = offset + (length & ~3);
    for (int i = offset; i < blocksEnd; i += 4) {
      int k1 = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
      h1 ^= mixK1(k1);
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int tailLength = length & 3;
    if (tailLength > 0) {
      int k1 = 0;
      if (tailLength == 3) {
        k1 ^= (data[blocksEnd + 2] & 0xff) << 16;
      }
      if (tailLength >= 2) {
        k1 ^= (data[blocksEnd + 1] & 0xff) << 8;
      }
      k1 ^= data[blocksEnd] & 0xff;
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    return finalMix(h1);
  }

  private static int mixK1(int k1) {
    k1 *= C1;
    k1 = Integer.rotateLeft(k1, 15);
    return k1 * C2;
  }

  private static int finalMix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
