package io.shaledb.txn;

import static io.shaledb.txn.FirstByteDirectory.key;
import static io.shaledb.txn.TxnRig.bytes;
import static io.shaledb.txn.TxnRig.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.kv.Transaction;
import io.shaledb.storage.Mutation;
import io.shaledb.storage.PrepareResult;
import io.shaledb.storage.ReadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Transaction#getAll}: one request per shard, all shards asked at once, same answers as get. */
class GetAllTest {
  private static final int KS = 3_000;
  private final byte[] a0 = key(KS, 0, "a");
  private final byte[] b0 = key(KS, 0, "b");
  private final byte[] c1 = key(KS, 1, "c");
  private final byte[] d1 = key(KS, 1, "d");
  private final byte[] absent2 = key(KS, 2, "x");

  private TxnRig rig;
  private List<ShardParticipant> shards;
  /** Batched reads asked of each shard. */
  private final AtomicInteger[] batches = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
  /** Single-key reads asked of any shard. */
  private final AtomicInteger singleReads = new AtomicInteger();
  /** The shards' answers to batched reads are held back until every shard of a batch was asked. */
  private final List<CompletableFuture<Void>> heldBack = new ArrayList<>();
  private int expectedAsks;

  @BeforeEach
  void setUp() {
    rig = new TxnRig();
    shards = rig.directory.addKeyspace(KS, 3, CountingParticipant::new);
    rig.commit(a0, "a", b0, "b", c1, "c", d1, "d");
  }

  @AfterEach
  void tearDown() {
    rig.close();
  }

  private final class CountingParticipant extends ForwardingParticipant {
    CountingParticipant(ShardParticipant delegate) {
      super(delegate);
    }

    @Override
    public ReadResult read(byte[] key, long readTs) {
      singleReads.incrementAndGet();
      return delegate.read(key, readTs);
    }

    @Override
    public CompletableFuture<List<ReadResult>> readAllAsync(List<byte[]> keys, long readTs) {
      batches[shardId()].incrementAndGet();
      List<ReadResult> results = new ArrayList<>();
      for (byte[] key : keys) {
        results.add(delegate.read(key, readTs));
      }
      CompletableFuture<Void> asked = new CompletableFuture<>();
      heldBack.add(asked);
      if (heldBack.size() >= expectedAsks) {
        heldBack.forEach(future -> future.complete(null));
      }
      return asked.thenApply(ignored -> results);
    }
  }

  private static List<String> texts(List<byte[]> values) {
    return values.stream().map(TxnRig::text).toList();
  }

  @Test
  void valuesComeInKeyOrderWithOneRequestPerShardAllSentBeforeAnyAnswerIsAwaited() {
    expectedAsks = 3;
    try (Transaction txn = rig.coordinator.begin()) {
      List<byte[]> values = assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> txn.getAll(List.of(c1, a0, absent2, d1, b0, a0)),
          "a shard's answer was awaited before the other shards were asked");
      assertEquals(Arrays.asList("c", "a", null, "d", "b", "a"), texts(values));
    }
    assertEquals(List.of(1, 1, 1), Arrays.stream(batches).map(AtomicInteger::get).toList());
    assertEquals(0, singleReads.get());
  }

  @Test
  void ownWritesAndDeletesAreAnsweredFromTheBufferWithoutAskingTheShard() {
    expectedAsks = 2;
    try (Transaction txn = rig.coordinator.begin()) {
      txn.put(a0, bytes("a2"));
      txn.delete(c1);
      txn.put(absent2, bytes("new"));
      assertEquals(Arrays.asList("a2", null, "new", "d", "b"), texts(txn.getAll(List.of(a0, c1, absent2, d1, b0))));
      assertEquals(List.of(1, 1, 0), Arrays.stream(batches).map(AtomicInteger::get).toList(),
          "shard 2 holds only a key this transaction wrote");
    }
  }

  @Test
  void aKeyLockedByAnotherTransactionIsResolvedAndTheOthersAreNotReadAgain() {
    expectedAsks = 2;
    long writerTs = rig.oracle.next();
    assertEquals(PrepareResult.PREPARED, shards.get(0).prepare(writerTs, b0, List.of(Mutation.put(b0, bytes("b2"))), rig.clock.millis() + 10_000));
    assertEquals(PrepareResult.PREPARED, shards.get(1).prepare(writerTs, b0, List.of(Mutation.put(d1, bytes("d2"))), rig.clock.millis() + 10_000));
    assertTrue(shards.get(0).commitPrimary(writerTs, rig.oracle.next(), b0, List.of()));
    assertEquals(1, rig.lockCount(), "the secondary's lock is left for readers to roll forward");

    try (Transaction txn = rig.coordinator.begin()) {
      assertEquals(List.of("a", "b2", "c", "d2"), texts(txn.getAll(List.of(a0, b0, c1, d1))));
    }
    assertEquals(0, rig.lockCount());
    assertEquals(2, singleReads.get(), "only the locked key is read again (before and after resolving its lock)");
    assertTrue(rig.sleeper.pauses().isEmpty());
  }
}
