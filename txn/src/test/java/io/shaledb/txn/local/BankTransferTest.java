package io.shaledb.txn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.txn.Sleeper;
import io.shaledb.txn.TxnConfig;
import io.shaledb.common.ShaleException;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.Keyspaces;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.storage.NodeStorage;
import io.shaledb.storage.StorageConfig;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Concurrent transfers between accounts spread over shards, retried on 40001, while snapshot
 * readers check that money is neither created nor destroyed.
 */
class BankTransferTest {
  private static final int KS = Keyspaces.FIRST_USER_KEYSPACE;
  private static final int ACCOUNTS = 20;
  private static final long INITIAL_BALANCE = 100;
  private static final int WRITERS = 4;
  private static final long RUN_MS = 2_000;

  private static byte[] account(int number) {
    return ByteBuffer.allocate(Keyspaces.PREFIX_BYTES + Integer.BYTES).put(Keyspaces.prefix(KS)).putInt(number).array();
  }

  private static byte[] amount(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  private static long amount(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  /** Sum and count of all balances in one snapshot. */
  private static long[] audit(LocalKvStore store) {
    try (Transaction txn = store.begin(); KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(KS))) {
      long total = 0;
      long accounts = 0;
      while (cursor.hasNext()) {
        total += amount(cursor.next().value());
        accounts++;
      }
      return new long[] {total, accounts};
    }
  }

  @Test
  void concurrentTransfersPreserveTheTotal() throws Exception {
    long seed = System.nanoTime();
    TxnConfig txnConfig = new TxnConfig(2_000, 1_000, 1, 16);
    try (NodeStorage storage = NodeStorage.open(StorageConfig.inMemory())) {
      LocalKvStore store =
          new LocalKvStore(storage, new LocalKvStoreConfig(txnConfig, 1_000), Clock.systemUTC(), new Random(seed), Sleeper.system());
      store.createKeyspace(KS, 8);
      try (Transaction txn = store.begin()) {
        for (int i = 0; i < ACCOUNTS; i++) {
          txn.put(account(i), amount(INITIAL_BALANCE));
        }
        txn.commit();
      }

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger committed = new AtomicInteger();
      AtomicInteger retried = new AtomicInteger();
      AtomicInteger audits = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          Random random = new Random(seed + w);
          futures.add(
              pool.submit(
                  () -> {
                    while (!stop.get()) {
                      int from = random.nextInt(ACCOUNTS);
                      int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                      long value = 1 + random.nextInt(20);
                      try (Transaction txn = store.begin()) {
                        long fromBalance = amount(txn.get(account(from)));
                        long toBalance = amount(txn.get(account(to)));
                        txn.put(account(from), amount(fromBalance - value));
                        txn.put(account(to), amount(toBalance + value));
                        txn.commit();
                        committed.incrementAndGet();
                      } catch (ShaleException e) {
                        if (!e.sqlState().isRetryable()) {
                          throw e;
                        }
                        retried.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        futures.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    try {
                      long[] audit = audit(store);
                      assertEquals(ACCOUNTS * INITIAL_BALANCE, audit[0], "total in a snapshot, seed " + seed);
                      assertEquals(ACCOUNTS, audit[1]);
                      audits.incrementAndGet();
                    } catch (ShaleException e) {
                      if (!e.sqlState().isRetryable()) {
                        throw e;
                      }
                    }
                  }
                  return null;
                }));
        Thread.sleep(RUN_MS);
        stop.set(true);
        for (Future<?> future : futures) {
          future.get();
        }
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }

      long[] finalAudit = audit(store);
      assertEquals(ACCOUNTS * INITIAL_BALANCE, finalAudit[0], "seed " + seed);
      assertEquals(ACCOUNTS, finalAudit[1]);
      assertTrue(committed.get() > 50, "committed " + committed.get() + ", retried " + retried.get());
      assertTrue(audits.get() > 10, "audits " + audits.get());
      int locks = storage.shardIds().stream().mapToInt(id -> storage.shard(id).locks().size()).sum();
      assertEquals(0, locks);
      store.close();
    }
  }
}
