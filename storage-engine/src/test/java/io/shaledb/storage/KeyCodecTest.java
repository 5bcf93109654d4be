package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaledb.kv.ByteArrays;
import org.mapdb.Serializer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class KeyCodecTest {

  /** Keys over bytes that stress escaping and signedness, short enough to be prefixes of each other often. */
  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF)
        .array(byte[].class)
        .ofMaxSize(4);
  }

  @Property(tries = 500)
  void mapdbKeySerializerOrdersLikeByteArrays(@ForAll("keys") byte[] a, @ForAll("keys") byte[] b) {
    // The shard maps rely on MapDB comparing keys as unsigned bytes, as every ShaleDB key is ordered.
    assertEquals(Integer.signum(ByteArrays.compare(a, b)), Integer.signum(Serializer.BYTE_ARRAY_DELTA.compare(a, b)));
  }

  @Example
  void mapdbKeySerializerIsUnsigned() {
    assertEquals(true, Serializer.BYTE_ARRAY_DELTA.compare(new byte[] {(byte) 0x80}, new byte[] {0x7F}) > 0);
  }

  @Property(tries = 1000)
  void versionKeysSortByUserKeyThenNewestFirst(
      @ForAll("keys") byte[] a, @ForAll @LongRange(min = 0) long tsA, @ForAll("keys") byte[] b, @ForAll @LongRange(min = 0) long tsB) {
    int byKey = Integer.signum(ByteArrays.compare(a, b));
    int expected = byKey != 0 ? byKey : Integer.signum(Long.compare(tsB, tsA));
    int actual = Integer.signum(ByteArrays.compare(KeyCodec.versionKey(a, tsA), KeyCodec.versionKey(b, tsB)));
    assertEquals(expected, actual);
  }

  @Property(tries = 1000)
  void escapedBoundSplitsVersionKeysLikeTheUserKeyOrder(
      @ForAll("keys") byte[] key, @ForAll @LongRange(min = 0) long ts, @ForAll("keys") byte[] bound) {
    boolean keyAtOrAbove = ByteArrays.compare(key, bound) >= 0;
    boolean versionAtOrAbove = ByteArrays.compare(KeyCodec.versionKey(key, ts), KeyCodec.escapedBound(bound)) >= 0;
    assertEquals(keyAtOrAbove, versionAtOrAbove);
  }

  @Property(tries = 1000)
  void versionKeysDecode(@ForAll byte[] key, @ForAll @LongRange(min = 0) long ts) {
    byte[] versionKey = KeyCodec.versionKey(key, ts);
    assertArrayEquals(key, KeyCodec.userKeyOf(versionKey));
    assertEquals(ts, KeyCodec.commitTsOf(versionKey));
    assertEquals(true, KeyCodec.isVersionOf(versionKey, KeyCodec.newestVersionKey(key)));
  }

  @Property(tries = 1000)
  void lockRecordsRoundTrip(
      @ForAll("keys") byte[] key,
      @ForAll("keys") byte[] primary,
      @ForAll long startTs,
      @ForAll long expiresAtMs,
      @ForAll byte[] value,
      @ForAll boolean delete) {
    LockRecord lock = new LockRecord(startTs, primary, expiresAtMs, delete ? null : value);
    LockRecord decoded = LockRecord.decode(key, lock.encode(key));
    assertEquals(startTs, decoded.startTs());
    assertEquals(expiresAtMs, decoded.expiresAtMs());
    assertArrayEquals(primary, decoded.primaryKey());
    assertArrayEquals(delete ? null : value, decoded.value());
  }

  @Property(tries = 200)
  void longPrimaryKeysRoundTrip(@ForAll byte[] key, @ForAll("longKeys") byte[] primary) {
    LockRecord decoded = LockRecord.decode(key, new LockRecord(1, primary, 2, null).encode(key));
    assertArrayEquals(primary, decoded.primaryKey());
  }

  @Provide
  Arbitrary<byte[]> longKeys() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(2_000);
  }

  @Property(tries = 500)
  void versionValuesRoundTrip(@ForAll byte[] value, @ForAll boolean tombstone) {
    byte[] encoded = VersionValue.encode(tombstone ? null : value);
    assertEquals(tombstone, VersionValue.isTombstone(encoded));
    if (!tombstone) {
      assertArrayEquals(value, VersionValue.valueOf(encoded));
    }
  }
}
