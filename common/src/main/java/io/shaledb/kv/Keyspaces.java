package io.shaledb.kv;

/**
 * The keyspace prefix every key starts with: the keyspace id as 4 big-endian bytes, so keys of one
 * keyspace are contiguous and keyspaces sort by id.
 */
public final class Keyspaces {
  public static final int PREFIX_BYTES = 4;

  /** Reserved keyspace for the SQL catalog. */
  public static final int CATALOG = 1;

  /** First keyspace id handed to user tables and indexes. */
  public static final int FIRST_USER_KEYSPACE = 1024;

  private Keyspaces() {}

  public static byte[] prefix(int keyspaceId) {
    checkId(keyspaceId);
    return new byte[] {
      (byte) (keyspaceId >>> 24), (byte) (keyspaceId >>> 16), (byte) (keyspaceId >>> 8), (byte) keyspaceId
    };
  }

  /** The first key after every key of the keyspace. */
  public static byte[] prefixEnd(int keyspaceId) {
    checkId(keyspaceId);
    return ByteArrays.prefixEnd(prefix(keyspaceId));
  }

  public static int keyspaceOf(byte[] key) {
    if (key.length < PREFIX_BYTES) {
      throw new IllegalArgumentException("key shorter than a keyspace prefix");
    }
    return ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
  }

  private static void checkId(int keyspaceId) {
    // Ids stay below 2^31 - 1 so that prefixEnd never overflows into the next byte length.
    if (keyspaceId <= 0 || keyspaceId == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("keyspace id out of range: " + keyspaceId);
    }
  }
}
