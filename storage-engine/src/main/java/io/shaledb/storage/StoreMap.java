package io.shaledb.storage;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;
import org.mapdb.BTreeMap;

/**
 * A named map of the node's storage that stays valid when compaction replaces the database: every
 * call goes to the map of that name in the current {@link StoreGeneration}.
 *
 * <p>Writes ({@link #put}, {@link #remove}) must run inside {@link CommitGate#write}: while a
 * compaction copies the map, each write also records its key (after writing it), and the
 * compaction collects those keys with writes shut out, so that a key is never written without
 * being recorded in the same set.
 *
 * <p>Iterators are weakly consistent like MapDB's own: they follow the current generation, and
 * after a swap continue in the new one after the last key they returned (both generations hold
 * the same entries at the moment of the swap).
 */
final class StoreMap<K, V> {
  private final MapSpec<K, V> spec;
  private final AtomicReference<StoreGeneration> generation;
  private volatile Set<K> writtenKeys;

  StoreMap(MapSpec<K, V> spec, AtomicReference<StoreGeneration> generation) {
    this.spec = spec;
    this.generation = generation;
  }

  MapSpec<K, V> spec() {
    return spec;
  }

  /** Inside {@link CommitGate#write} only: creating a map writes MapDB's catalog. */
  void createIfAbsent() {
    current();
  }

  V get(K key) {
    return current().get(key);
  }

  Map.Entry<K, V> ceilingEntry(K key) {
    return current().ceilingEntry(key);
  }

  K ceilingKey(K key) {
    return current().ceilingKey(key);
  }

  /** Inside {@link CommitGate#write} only. */
  void put(K key, V value) {
    current().put(key, value);
    recordWrite(key);
  }

  /** Inside {@link CommitGate#write} only. */
  void remove(K key) {
    current().remove(key);
    recordWrite(key);
  }

  /** The entries from {@code lo} to {@code hi} in key order; a null bound is open. */
  Iterator<Map.Entry<K, V>> entryIterator(K lo, boolean loInclusive, K hi, boolean hiInclusive) {
    return new FollowingIterator(lo, loInclusive, hi, hiInclusive);
  }

  Iterator<Map.Entry<K, V>> entryIterator() {
    return entryIterator(null, false, null, false);
  }

  /** From now on, records the keys written. Call with writes shut out, so no write in flight goes unrecorded. */
  void startRecordingWrites() {
    writtenKeys = new ConcurrentSkipListSet<>(spec.keys());
  }

  /** The keys written since the previous call (or since recording started); recording goes on. Call with writes shut out. */
  Set<K> takeWrittenKeys() {
    Set<K> taken = writtenKeys;
    writtenKeys = new ConcurrentSkipListSet<>(spec.keys());
    return taken;
  }

  void stopRecordingWrites() {
    writtenKeys = null;
  }

  private BTreeMap<K, V> current() {
    return generation.get().map(spec);
  }

  private void recordWrite(K key) {
    Set<K> keys = writtenKeys;
    if (keys != null) {
      keys.add(key);
    }
  }

  private final class FollowingIterator implements Iterator<Map.Entry<K, V>> {
    private final K hi;
    private final boolean hiInclusive;
    private K lo;
    private boolean loInclusive;
    private StoreGeneration source;
    private Iterator<? extends Map.Entry<K, V>> entries;

    FollowingIterator(K lo, boolean loInclusive, K hi, boolean hiInclusive) {
      this.lo = lo;
      this.loInclusive = loInclusive;
      this.hi = hi;
      this.hiInclusive = hiInclusive;
    }

    @Override
    public boolean hasNext() {
      return followingCurrent().hasNext();
    }

    @Override
    public Map.Entry<K, V> next() {
      Iterator<? extends Map.Entry<K, V>> current = followingCurrent();
      if (!current.hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<K, V> entry = current.next();
      lo = entry.getKey();
      loInclusive = false;
      return entry;
    }

    private Iterator<? extends Map.Entry<K, V>> followingCurrent() {
      StoreGeneration now = generation.get();
      if (now != source) {
        source = now;
        entries = now.map(spec).entryIterator(lo, loInclusive, hi, hiInclusive);
      }
      return entries;
    }
  }
}
