package io.shaledb.txn;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.ReadResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transaction} at one snapshot: reads go to the shards at {@link #startTimestamp()}
 * (resolving locks they meet), writes are buffered in key order until {@link #commit()} hands
 * them to the {@link CommitProtocol}.
 *
 * <p>A scan sees the writes made before {@link #scan} was called, not those made while its cursor
 * is open, so a statement that writes what it scans never revisits its own writes. Not thread-safe.
 */
final class PercolatorTransaction implements Transaction {
  private final long startTs;
  private final boolean readOnly;
  private final ParticipantDirectory directory;
  private final LockResolver resolver;
  private final CommitProtocol commitProtocol;
  /** Buffered writes; a delete is a {@link Mutation} with a null value. */
  private final NavigableMap<byte[], Mutation> writes = new TreeMap<>(ByteArrays.UNSIGNED);
  private final Set<MergedScanCursor> openCursors = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Called once when the transaction ends (closes its snapshot for garbage collection). */
  private final Runnable onEnd;
  private TxnState state = TxnState.ACTIVE;

  PercolatorTransaction(
      long startTs,
      boolean readOnly,
      ParticipantDirectory directory,
      LockResolver resolver,
      CommitProtocol commitProtocol,
      Runnable onEnd) {
    this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
    this.startTs = startTs;
    this.readOnly = readOnly;
    this.directory = directory;
    this.resolver = resolver;
    this.commitProtocol = commitProtocol;
  }

  @Override
  public long startTimestamp() {
    return startTs;
  }

  @Override
  public byte[] get(byte[] key) {
    checkActive();
    checkKey(key);
    Mutation buffered = writes.get(key);
    if (buffered != null) {
      return buffered.value();
    }
    ReadResult result = resolver.read(directory.participantFor(key), key, startTs);
    return result instanceof ReadResult.Value value ? value.value() : null;
  }

  /**
   * Keys this transaction wrote are answered from its buffer; the others are grouped by shard and
   * each shard is asked once, every shard's request sent before any answer is awaited, so shards on
   * other nodes are read in parallel. A key found locked is read again through the lock-resolving
   * path of {@link #get}.
   */
  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    checkActive();
    byte[][] values = new byte[keys.size()][];
    Map<ShardParticipant, List<Integer>> positionsByShard = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      byte[] key = keys.get(i);
      checkKey(key);
      Mutation buffered = writes.get(key);
      if (buffered != null) {
        values[i] = buffered.value();
      } else {
        positionsByShard.computeIfAbsent(directory.participantFor(key), shard -> new ArrayList<>()).add(i);
      }
    }
    Map<ShardParticipant, CompletableFuture<List<ReadResult>>> reads = new LinkedHashMap<>();
    positionsByShard.forEach((shard, positions) -> {
      List<byte[]> shardKeys = new ArrayList<>(positions.size());
      for (int position : positions) {
        shardKeys.add(keys.get(position));
      }
      reads.put(shard, shard.readAllAsync(shardKeys, startTs));
    });
    for (Map.Entry<ShardParticipant, CompletableFuture<List<ReadResult>>> read : reads.entrySet()) {
      ShardParticipant shard = read.getKey();
      List<Integer> positions = positionsByShard.get(shard);
      List<ReadResult> results = CommitProtocol.join(read.getValue());
      for (int j = 0; j < positions.size(); j++) {
        int position = positions.get(j);
        ReadResult result = results.get(j);
        if (result instanceof ReadResult.Locked) {
          result = resolver.read(shard, keys.get(position), startTs);
        }
        values[position] = result instanceof ReadResult.Value value ? value.value() : null;
      }
    }
    return Arrays.asList(values);
  }

  @Override
  public KvCursor scan(ScanSpec spec) {
    checkActive();
    Objects.requireNonNull(spec, "spec");
    List<ShardParticipant> participants = directory.participantsOf(spec.keyspaceId());
    if (participants.isEmpty()) {
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "keyspace " + spec.keyspaceId() + " does not exist");
    }
    List<Mutation> overlay =
        ByteArrays.compare(spec.startInclusive(), spec.endExclusive()) < 0
            ? List.copyOf(writes.subMap(spec.startInclusive(), true, spec.endExclusive(), false).values())
            : List.of();
    MergedScanCursor cursor = new MergedScanCursor(participants, spec, startTs, overlay, resolver, openCursors::remove);
    openCursors.add(cursor);
    return cursor;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    checkWritable();
    checkKey(key);
    directory.participantFor(key);
    writes.put(key, Mutation.put(key, value));
  }

  @Override
  public void delete(byte[] key) {
    checkWritable();
    checkKey(key);
    directory.participantFor(key);
    writes.put(key, Mutation.delete(key));
  }

  @Override
  public boolean hasWrites() {
    return !writes.isEmpty();
  }

  @Override
  public void commit() {
    checkActive();
    endCursors();
    if (writes.isEmpty()) {
      moveTo(TxnState.COMMITTED);
      return;
    }
    moveTo(TxnState.COMMITTING);
    try {
      commitProtocol.commit(startTs, writes);
      moveTo(TxnState.COMMITTED);
    } catch (RuntimeException e) {
      moveTo(TxnState.ROLLED_BACK);
      throw e;
    } finally {
      writes.clear();
    }
  }

  /** Discards the buffered writes. A no-op once the transaction has ended (committed or not). */
  @Override
  public void rollback() {
    if (state != TxnState.ACTIVE) {
      return;
    }
    endCursors();
    writes.clear();
    moveTo(TxnState.ROLLED_BACK);
  }

  @Override
  public boolean isActive() {
    return state == TxnState.ACTIVE;
  }

  @Override
  public void close() {
    rollback();
  }

  @Override
  public String toString() {
    return "transaction " + startTs + (readOnly ? " (read-only)" : "") + " " + state;
  }

  private void endCursors() {
    for (MergedScanCursor cursor : List.copyOf(openCursors)) {
      cursor.invalidate();
    }
    openCursors.clear();
  }

  private void moveTo(TxnState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("transaction " + startTs + " cannot go from " + state + " to " + next);
    }
    state = next;
    if (next == TxnState.COMMITTED || next == TxnState.ROLLED_BACK) {
      onEnd.run();
    }
  }

  private void checkActive() {
    if (state != TxnState.ACTIVE) {
      throw new IllegalStateException("transaction " + startTs + " is no longer active (" + state + ")");
    }
  }

  private void checkWritable() {
    checkActive();
    if (readOnly) {
      throw new ShaleException(
          SqlState.INVALID_TRANSACTION_STATE,
          "cannot write in a read-only transaction (reading as of timestamp " + startTs + ")");
    }
  }

  private static void checkKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < Keyspaces.PREFIX_BYTES) {
      throw new IllegalArgumentException("key shorter than a keyspace prefix: " + key.length + " bytes");
    }
  }
}
