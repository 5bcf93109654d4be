package io.shaledb.cluster.protocol;

import io.shaledb.storage.LockInfo;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.OnePhaseResult;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import io.shaledb.storage.ScanItem;
import io.shaledb.storage.TxnStatus;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.ArrayList;
import java.util.List;

/** Wire form of the storage engine's values that cross nodes. Each sum type starts with a tag byte. */
final class StorageWire {
  private StorageWire() {}

  static void writeLock(WireOutput out, LockInfo lock) {
    out.writeBytes(lock.key()).writeLong(lock.startTs()).writeBytes(lock.primaryKey()).writeLong(lock.expiresAtMs());
  }

  static LockInfo readLock(WireInput in) {
    return new LockInfo(in.readBytes(), in.readLong(), in.readBytes(), in.readLong());
  }

  static void writeLocks(WireOutput out, List<LockInfo> locks) {
    out.writeInt(locks.size());
    for (LockInfo lock : locks) {
      writeLock(out, lock);
    }
  }

  static List<LockInfo> readLocks(WireInput in) {
    int count = in.readCount(24);
    List<LockInfo> locks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      locks.add(readLock(in));
    }
    return locks;
  }

  static void writeMutations(WireOutput out, List<Mutation> mutations) {
    out.writeInt(mutations.size());
    for (Mutation mutation : mutations) {
      out.writeBytes(mutation.key()).writeBytes(mutation.value());
    }
  }

  static List<Mutation> readMutations(WireInput in) {
    int count = in.readCount(8);
    List<Mutation> mutations = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      mutations.add(new Mutation(in.readBytes(), in.readNullableBytes()));
    }
    return mutations;
  }

  static void writeReadResult(WireOutput out, ReadResult result) {
    if (result instanceof ReadResult.Value value) {
      out.writeByte(1).writeBytes(value.value()).writeLong(value.commitTs());
    } else if (result instanceof ReadResult.Locked locked) {
      out.writeByte(2);
      writeLock(out, locked.lock());
    } else {
      out.writeByte(0);
    }
  }

  static ReadResult readReadResult(WireInput in) {
    int tag = in.readByte();
    if (tag == 0) {
      return ReadResult.ABSENT;
    }
    if (tag == 1) {
      return new ReadResult.Value(in.readBytes(), in.readLong());
    }
    if (tag == 2) {
      return new ReadResult.Locked(readLock(in));
    }
    throw unknownTag("read result", tag);
  }

  static void writeReadResults(WireOutput out, List<ReadResult> results) {
    out.writeInt(results.size());
    for (ReadResult result : results) {
      writeReadResult(out, result);
    }
  }

  static List<ReadResult> readReadResults(WireInput in) {
    int count = in.readCount(1);
    List<ReadResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      results.add(readReadResult(in));
    }
    return results;
  }

  static void writeScanItems(WireOutput out, List<ScanItem> items) {
    out.writeInt(items.size());
    for (ScanItem item : items) {
      out.writeBytes(item.key());
      writeReadResult(out, item.result());
    }
  }

  static List<ScanItem> readScanItems(WireInput in) {
    int count = in.readCount(5);
    List<ScanItem> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = in.readBytes();
      ReadResult result = readReadResult(in);
      if (result instanceof ReadResult.Absent) {
        throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "malformed message: absent key in a scan page");
      }
      items.add(new ScanItem(key, result));
    }
    return items;
  }

  static void writePrepareResult(WireOutput out, PrepareResult result) {
    if (result instanceof PrepareResult.WriteConflict conflict) {
      out.writeByte(1).writeBytes(conflict.key()).writeLong(conflict.commitTs());
    } else if (result instanceof PrepareResult.KeyLocked locked) {
      out.writeByte(2);
      writeLock(out, locked.lock());
    } else {
      out.writeByte(0);
    }
  }

  static PrepareResult readPrepareResult(WireInput in) {
    int tag = in.readByte();
    if (tag == 0) {
      return PrepareResult.PREPARED;
    }
    if (tag == 1) {
      return new PrepareResult.WriteConflict(in.readBytes(), in.readLong());
    }
    if (tag == 2) {
      return new PrepareResult.KeyLocked(readLock(in));
    }
    throw unknownTag("prepare result", tag);
  }

  static void writeOnePhaseResult(WireOutput out, OnePhaseResult result) {
    if (result instanceof OnePhaseResult.Committed committed) {
      out.writeByte(0).writeLong(committed.commitTs());
    } else if (result instanceof OnePhaseResult.WriteConflict conflict) {
      out.writeByte(1).writeBytes(conflict.key()).writeLong(conflict.commitTs());
    } else {
      out.writeByte(2);
      writeLock(out, ((OnePhaseResult.KeyLocked) result).lock());
    }
  }

  static OnePhaseResult readOnePhaseResult(WireInput in) {
    int tag = in.readByte();
    if (tag == 0) {
      return new OnePhaseResult.Committed(in.readLong());
    }
    if (tag == 1) {
      return new OnePhaseResult.WriteConflict(in.readBytes(), in.readLong());
    }
    if (tag == 2) {
      return new OnePhaseResult.KeyLocked(readLock(in));
    }
    throw unknownTag("one-phase result", tag);
  }

  static void writeTxnStatus(WireOutput out, TxnStatus status) {
    if (status instanceof TxnStatus.Committed committed) {
      out.writeByte(0).writeLong(committed.commitTs());
    } else if (status instanceof TxnStatus.Pending pending) {
      out.writeByte(2).writeLong(pending.lockExpiresAtMs());
    } else {
      out.writeByte(1);
    }
  }

  static TxnStatus readTxnStatus(WireInput in) {
    int tag = in.readByte();
    if (tag == 0) {
      return new TxnStatus.Committed(in.readLong());
    }
    if (tag == 1) {
      return TxnStatus.ROLLED_BACK;
    }
    if (tag == 2) {
      return new TxnStatus.Pending(in.readLong());
    }
    throw unknownTag("transaction status", tag);
  }

  private static ShaleException unknownTag(String what, int tag) {
    return new ShaleException(SqlState.PROTOCOL_VIOLATION, "malformed message: unknown " + what + " tag " + tag);
  }
}
