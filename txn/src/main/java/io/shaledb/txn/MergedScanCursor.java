package io.shaledb.txn;

import io.shaledb.kv.ByteArrays;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.ScanSpec;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.ScanIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A transaction's scan of one keyspace: a k-way merge of its shards' scans (each shard holds
 * disjoint keys, each scan ascending) in key order, with the transaction's buffered writes laid
 * over it, stopping after the limit. Streams: it holds one pending entry per shard. Locks met are
 * resolved key by key. Not thread-safe.
 */
final class MergedScanCursor implements KvCursor {
  private final LockResolver resolver;
  private final long readTs;
  private final PriorityQueue<ShardHead> heads =
      new PriorityQueue<>(Comparator.comparing((ShardHead head) -> head.current.key(), ByteArrays.UNSIGNED));
  private final List<ShardHead> opened = new ArrayList<>();
  /** The transaction's writes inside the scan range as of {@code scan()}, ascending. */
  private final List<Mutation> overlay;
  private final Consumer<MergedScanCursor> onClose;
  private int overlayIndex;
  private long remaining;
  private KvEntry lookahead;
  private boolean exhausted;
  private boolean closed;
  private boolean invalidated;

  MergedScanCursor(
      List<ShardParticipant> participants,
      ScanSpec spec,
      long readTs,
      List<Mutation> overlay,
      LockResolver resolver,
      Consumer<MergedScanCursor> onClose) {
    this.resolver = resolver;
    this.readTs = readTs;
    this.overlay = overlay;
    this.onClose = onClose;
    this.remaining = spec.limit();
    if (remaining == 0 || ByteArrays.compare(spec.startInclusive(), spec.endExclusive()) >= 0) {
      exhausted = true;
      return;
    }
    try {
      for (ShardParticipant participant : participants) {
        ShardHead head = new ShardHead(participant, participant.scan(spec.startInclusive(), spec.endExclusive(), readTs, spec.filter()));
        opened.add(head);
        if (head.advance()) {
          heads.add(head);
        }
      }
    } catch (RuntimeException e) {
      releaseShards(e);
      throw e;
    }
  }

  @Override
  public boolean hasNext() {
    checkUsable();
    if (lookahead == null && !exhausted) {
      lookahead = computeNext();
      if (lookahead == null) {
        exhausted = true;
        releaseShards(null);
      }
    }
    return lookahead != null;
  }

  @Override
  public KvEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KvEntry entry = lookahead;
    lookahead = null;
    return entry;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    releaseShards(null);
    onClose.accept(this);
  }

  /** Called by the transaction when it ends: frees the shards and makes further use fail. */
  void invalidate() {
    invalidated = true;
    closed = true;
    releaseShards(null);
  }

  private KvEntry computeNext() {
    while (remaining > 0) {
      ShardHead head = heads.peek();
      Mutation buffered = overlayIndex < overlay.size() ? overlay.get(overlayIndex) : null;
      if (head == null && buffered == null) {
        return null;
      }
      int order;
      if (head == null) {
        order = -1;
      } else if (buffered == null) {
        order = 1;
      } else {
        order = ByteArrays.compare(buffered.key(), head.current.key());
      }
      if (order <= 0) {
        // The transaction's own write wins over what the snapshot holds at that key.
        overlayIndex++;
        if (order == 0) {
          advance(heads.poll());
        }
        if (buffered.isDelete()) {
          continue;
        }
        remaining--;
        return new KvEntry(buffered.key(), buffered.value());
      }
      heads.poll();
      KvEntry entry = head.current;
      advance(head);
      ShardHead following = heads.peek();
      if (following != null && ByteArrays.compare(following.current.key(), entry.key()) == 0) {
        throw new IllegalStateException(
            Keys.describe(entry.key()) + " found in two shards: " + head.participant + " and " + following.participant);
      }
      remaining--;
      return entry;
    }
    return null;
  }

  private void advance(ShardHead head) {
    if (head.advance()) {
      heads.add(head);
    }
  }

  private void checkUsable() {
    if (invalidated) {
      throw new IllegalStateException("cursor used after its transaction ended");
    }
    if (closed) {
      throw new IllegalStateException("cursor used after it was closed");
    }
  }

  private void releaseShards(RuntimeException failure) {
    RuntimeException closeFailure = failure;
    for (ShardHead head : opened) {
      try {
        head.iterator.close();
      } catch (RuntimeException e) {
        if (closeFailure == null) {
          closeFailure = e;
        } else {
          closeFailure.addSuppressed(e);
        }
      }
    }
    opened.clear();
    heads.clear();
    if (failure == null && closeFailure != null) {
      throw closeFailure;
    }
  }

  /** One shard's scan and its next visible entry. */
  private final class ShardHead {
    final ShardParticipant participant;
    final ScanIterator iterator;
    KvEntry current;

    ShardHead(ShardParticipant participant, ScanIterator iterator) {
      this.participant = participant;
      this.iterator = iterator;
    }

    /** Moves to the shard's next visible entry; false at its end. */
    boolean advance() {
      while (iterator.hasNext()) {
        ScanItem item = iterator.next();
        ReadResult result = item.result();
        if (result instanceof ReadResult.Locked) {
          result = resolver.read(participant, item.key(), readTs);
        }
        if (result instanceof ReadResult.Value value) {
          current = new KvEntry(item.key(), value.value());
          return true;
        }
      }
      current = null;
      return false;
    }
  }
}
