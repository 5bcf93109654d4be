package io.shaledb.txn;

import io.shaledb.kv.RowFilter;
import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import io.shaledb.storage.ShardStore;
import io.shaledb.storage.TxnStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An operation on one shard, with the semantics of the same-named {@link ShardStore} operation:
 * what a {@link ShardParticipant} carries to the shard, in this process or over the network. The
 * state changes ({@link #changesState()}) are commands applied to the shard's store: replicating a
 * shard later means shipping these same commands through a log instead of straight to the store.
 *
 * <p>Adding an operation is one record here with its {@link #applyTo}, plus its wire encoding
 * (cluster's {@code ShardWire}).
 */
public sealed interface ShardRequest<R> {
  int shardId();

  /**
   * Applies the request to the shard's store.
   *
   * @param timestamps the timestamp oracle, for a one-phase commit's commit timestamp
   */
  R applyTo(ShardStore store, LongSupplier timestamps);

  /** Whether it may change the shard's state (and must then be made durable before the reply when {@link #durableBeforeReply()}). */
  boolean changesState();

  /**
   * Whether the caller relies on its effects surviving a crash once it has the reply. The transport
   * honours it: a remote node syncs before it answers, the local transport syncs through the node's
   * group commit (a prepare sharing its primary's log excepted: the commit point's sync covers it).
   */
  default boolean durableBeforeReply() {
    return false;
  }

  /**
   * Whether the reply carrying {@code result} must wait for durability: by default {@link
   * #durableBeforeReply()}, whatever the result. A request whose result can say that nothing the
   * caller relies on was written (a conflict, a pending status, a refused commit) waives it then, so
   * a lock wait or a lost race costs no log force.
   */
  default boolean durableBeforeReply(R result) {
    return durableBeforeReply();
  }

  record Read(int shardId, byte[] key, long readTs) implements ShardRequest<ReadResult> {
    @Override
    public ReadResult applyTo(ShardStore store, LongSupplier timestamps) {
      return store.read(key, readTs);
    }

    @Override
    public boolean changesState() {
      return false;
    }
  }

  /** {@link Read} of many keys of one shard at once; the results are in the order of {@code keys}. */
  record ReadAll(int shardId, List<byte[]> keys, long readTs) implements ShardRequest<List<ReadResult>> {
    public ReadAll {
      keys = List.copyOf(keys);
    }

    @Override
    public List<ReadResult> applyTo(ShardStore store, LongSupplier timestamps) {
      List<ReadResult> results = new ArrayList<>(keys.size());
      for (byte[] key : keys) {
        results.add(store.read(key, readTs));
      }
      return results;
    }

    @Override
    public boolean changesState() {
      return false;
    }
  }

  /**
   * Up to {@code maxItems} items of a scan at {@code readTs}; the page says where to resume.
   * Pages of one scan read the same snapshot, so together they are one consistent scan. With a
   * {@code filter} (null for none), rows it drops are skipped and the others trimmed; a page then
   * also ends after {@link #EXAMINED_PER_ITEM} times {@code maxItems} rows examined, so one request
   * never walks a whole shard.
   */
  record ScanPage(int shardId, byte[] startInclusive, byte[] endExclusive, long readTs, int maxItems, RowFilter filter)
      implements ShardRequest<ScanPage.Page> {
    static final int EXAMINED_PER_ITEM = 16;

    public ScanPage {
      if (maxItems < 1) {
        throw new IllegalArgumentException("maxItems must be >= 1: " + maxItems);
      }
    }

    /** Items in key order; {@code resumeKey} is where the next page starts, null when the range is exhausted. */
    public record Page(List<ScanItem> items, byte[] resumeKey) {}

    @Override
    public Page applyTo(ShardStore store, LongSupplier timestamps) {
      List<ScanItem> items = new ArrayList<>(Math.min(maxItems, 1024));
      long examinedMax = (long) maxItems * EXAMINED_PER_ITEM;
      long examined = 0;
      byte[] lastExamined = null;
      try (ScanIterator scan = store.scan(startInclusive, endExclusive, readTs)) {
        while (items.size() < maxItems && examined < examinedMax && scan.hasNext()) {
          ScanItem item = scan.next();
          examined++;
          lastExamined = item.key();
          ScanItem filtered = filter == null ? item : filtered(item);
          if (filtered != null) {
            items.add(filtered);
          }
        }
        if (!scan.hasNext()) {
          return new Page(items, null);
        }
      }
      byte[] resume = new byte[lastExamined.length + 1]; // the smallest key after the last one examined
      System.arraycopy(lastExamined, 0, resume, 0, lastExamined.length);
      return new Page(items, resume);
    }

    /** Locked keys pass unfiltered: the reader resolves the lock and reads the row itself. */
    private ScanItem filtered(ScanItem item) {
      if (!(item.result() instanceof ReadResult.Value value)) {
        return item;
      }
      byte[] row = filter.apply(value.value());
      if (row == null) {
        return null;
      }
      return row == value.value() ? item : new ScanItem(item.key(), new ReadResult.Value(row, value.commitTs()));
    }

    @Override
    public boolean changesState() {
      return false;
    }
  }

  record Prepare(int shardId, long startTs, byte[] primaryKey, List<Mutation> mutations, long lockExpiresAtMs)
      implements ShardRequest<PrepareResult> {
    @Override
    public PrepareResult applyTo(ShardStore store, LongSupplier timestamps) {
      return store.prepare(startTs, primaryKey, mutations, lockExpiresAtMs);
    }

    @Override
    public boolean changesState() {
      return true;
    }

    /** The coordinator takes the commit timestamp only once every shard's locks are durable. */
    @Override
    public boolean durableBeforeReply() {
      return true;
    }

    /** A conflict or a lock met writes no lock. */
    @Override
    public boolean durableBeforeReply(PrepareResult result) {
      return result instanceof PrepareResult.Prepared;
    }
  }

  record CommitPrimary(int shardId, long startTs, long commitTs, byte[] primaryKey, List<byte[]> otherKeys)
      implements ShardRequest<Boolean> {
    @Override
    public Boolean applyTo(ShardStore store, LongSupplier timestamps) {
      return store.commitPrimary(startTs, commitTs, primaryKey, otherKeys);
    }

    @Override
    public boolean changesState() {
      return true;
    }

    /** The commit point: acknowledged to the client once the reply arrives. */
    @Override
    public boolean durableBeforeReply() {
      return true;
    }

    /** A refused commit point (the transaction was rolled back meanwhile) commits nothing. */
    @Override
    public boolean durableBeforeReply(Boolean committed) {
      return committed;
    }
  }

  record CommitSecondaries(int shardId, long startTs, long commitTs, List<byte[]> keys) implements ShardRequest<Void> {
    @Override
    public Void applyTo(ShardStore store, LongSupplier timestamps) {
      store.commitSecondaries(startTs, commitTs, keys);
      return null;
    }

    @Override
    public boolean changesState() {
      return true;
    }
  }

  record Rollback(int shardId, long startTs, byte[] primaryKey, List<byte[]> keys) implements ShardRequest<Void> {
    @Override
    public Void applyTo(ShardStore store, LongSupplier timestamps) {
      store.rollback(startTs, primaryKey, keys);
      return null;
    }

    @Override
    public boolean changesState() {
      return true;
    }
  }

  record ResolveStatus(int shardId, byte[] primaryKey, long startTs, long nowMs) implements ShardRequest<TxnStatus> {
    @Override
    public TxnStatus applyTo(ShardStore store, LongSupplier timestamps) {
      return store.resolveStatus(primaryKey, startTs, nowMs);
    }

    /** Deciding an expired transaction's fate rolls it back. */
    @Override
    public boolean changesState() {
      return true;
    }

    /** A rolled-back verdict must survive a crash, or a coordinator could still commit after it was given. */
    @Override
    public boolean durableBeforeReply() {
      return true;
    }

    /**
     * A verdict the caller acts on (roll a lock forward or back) must be durable; a pending one
     * changed nothing. A committed verdict is synced too: the commit record may have been written
     * by a commit point whose own sync has not finished, and a lock rolled forward on another log
     * must not outlive it.
     */
    @Override
    public boolean durableBeforeReply(TxnStatus status) {
      return !(status instanceof TxnStatus.Pending);
    }
  }

  record ExtendLocks(int shardId, long startTs, List<byte[]> keys, long lockExpiresAtMs) implements ShardRequest<Void> {
    @Override
    public Void applyTo(ShardStore store, LongSupplier timestamps) {
      store.extendLocks(startTs, keys, lockExpiresAtMs);
      return null;
    }

    @Override
    public boolean changesState() {
      return true;
    }
  }

  /** Commits a one-shard transaction in one step; the shard's node takes the commit timestamp from the oracle. */
  record CommitOnePhase(int shardId, long startTs, List<Mutation> mutations) implements ShardRequest<OnePhaseResult> {
    @Override
    public OnePhaseResult applyTo(ShardStore store, LongSupplier timestamps) {
      return store.commitOnePhase(startTs, mutations, timestamps);
    }

    @Override
    public boolean changesState() {
      return true;
    }

    /** The commit is acknowledged to the client once the reply arrives. */
    @Override
    public boolean durableBeforeReply() {
      return true;
    }

    /** A conflict or a lock met commits nothing. */
    @Override
    public boolean durableBeforeReply(OnePhaseResult result) {
      return result instanceof OnePhaseResult.Committed;
    }
  }

  record Locks(int shardId) implements ShardRequest<List<LockInfo>> {
    @Override
    public List<LockInfo> applyTo(ShardStore store, LongSupplier timestamps) {
      return store.locks();
    }

    @Override
    public boolean changesState() {
      return false;
    }
  }
}
