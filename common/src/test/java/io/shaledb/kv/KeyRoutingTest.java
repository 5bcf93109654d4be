package io.shaledb.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyRoutingTest {

  private static int murmur(String text, int seed) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return KeyRouting.murmur3x86x32(bytes, 0, bytes.length, seed);
  }

  @Test
  void matchesPublishedMurmur3x86x32Vectors() {
    assertEquals(0, murmur("", 0));
    assertEquals(0x514e28b7, murmur("", 1));
    assertEquals(0x81f16f39, murmur("", 0xffffffff));
    assertEquals(0x248bfa47, murmur("hello", 0));
    assertEquals(0x2e4ff723, murmur("The quick brown fox jumps over the lazy dog", 0));
    assertEquals(0x2fa826cd, murmur("The quick brown fox jumps over the lazy dog", 0x9747b28c));
    assertEquals(0x24884cba, murmur("Hello, world!", 0x9747b28c));
    assertEquals(0x5a97808a, murmur("aaaa", 0x9747b28c));
    assertEquals(0x2362f9de, KeyRouting.murmur3x86x32(new byte[4], 0, 4, 0));
    // Tails of 1, 2 and 3 bytes.
    assertEquals(0xb3dd93fa, murmur("abc", 0));
    assertEquals(0xc84a62dd, murmur("abc", 0x9747b28c));
  }

  @Test
  void hashesOnlyTheBytesAfterTheKeyspacePrefix() {
    byte[] suffix = "order-42".getBytes(StandardCharsets.UTF_8);
    int inFirst = KeyRouting.shardIndex(concat(Keyspaces.prefix(1024), suffix), 16);
    int inSecond = KeyRouting.shardIndex(concat(Keyspaces.prefix(2048), suffix), 16);
    assertEquals(inFirst, inSecond);
    assertEquals(Math.floorMod(KeyRouting.murmur3x86x32(suffix, 0, suffix.length, 0), 16), inFirst);
    assertEquals(0, KeyRouting.shardIndex(Keyspaces.prefix(1024), 16), "an empty suffix hashes to 0");
  }

  @Test
  void placementIsPinned() {
    // Where data lives depends on these values; they must never change.
    assertEquals(Math.floorMod(0x248bfa47, 7), KeyRouting.shardIndex(concat(Keyspaces.prefix(5000), "hello".getBytes(StandardCharsets.UTF_8)), 7));
    assertEquals(Math.floorMod(0x2e4ff723, 13),
        KeyRouting.shardIndex(
            concat(Keyspaces.prefix(5000), "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)), 13));
  }

  @Test
  void spreadsSequentialKeysEvenly() {
    int shards = 8;
    int[] counts = new int[shards];
    for (int i = 0; i < 8_000; i++) {
      byte[] key = concat(Keyspaces.prefix(1024), new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
      counts[KeyRouting.shardIndex(key, shards)]++;
    }
    for (int count : counts) {
      assertTrue(count > 850 && count < 1150, java.util.Arrays.toString(counts));
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> KeyRouting.shardIndex(new byte[3], 4));
    assertThrows(IllegalArgumentException.class, () -> KeyRouting.shardIndex(new byte[8], 0));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = new byte[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
