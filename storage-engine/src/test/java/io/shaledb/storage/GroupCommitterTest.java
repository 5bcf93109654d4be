package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitterTest {
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path directory;

  private static Thread start(Runnable task) {
    Thread thread = new Thread(task);
    thread.start();
    return thread;
  }

  /** Waits until every thread waits for a commit to finish (parked on a condition, not on the mutex). */
  private static void awaitWaitingForCommit(List<Thread> threads) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread thread : threads) {
      while (thread.getState() != Thread.State.WAITING
          || !(LockSupport.getBlocker(thread) instanceof AbstractQueuedSynchronizer.ConditionObject)) {
        assertTrue(System.nanoTime() < deadline, "thread never started waiting");
        Thread.sleep(1);
      }
    }
  }

  @Test
  void callersArrivingDuringACommitShareTheNextOne() throws Exception {
    CountDownLatch firstCommitRunning = new CountDownLatch(1);
    CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    AtomicInteger commits = new AtomicInteger();
    GroupCommitter committer =
        new GroupCommitter(
            "test-syncer",
            () -> {
              if (commits.incrementAndGet() == 1) {
                firstCommitRunning.countDown();
                releaseFirstCommit.await();
              }
            },
            new CommitGate(),
            NEVER);
    try {
      Thread first = start(committer::sync);
      assertTrue(firstCommitRunning.await(10, TimeUnit.SECONDS));
      List<Thread> late = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        late.add(start(committer::sync));
      }
      awaitWaitingForCommit(late);
      assertEquals(1, commits.get());
      releaseFirstCommit.countDown();
      first.join();
      for (Thread thread : late) {
        thread.join();
      }
      // The late callers began during commit 1, so commit 1 could not cover them; one more served all seven.
      assertEquals(2, commits.get());
      assertEquals(2, committer.commitCount());
    } finally {
      releaseFirstCommit.countDown();
      committer.close();
    }
  }

  @Test
  void aFailedCommitFailsWaitersAndLaterWrites() {
    CommitGate gate = new CommitGate();
    GroupCommitter committer =
        new GroupCommitter(
            "test-syncer",
            () -> {
              throw new java.io.IOException("disk full");
            },
            gate,
            NEVER);
    assertThrows(ShaleException.class, committer::sync);
    assertThrows(ShaleException.class, committer::sync);
    assertThrows(ShaleException.class, () -> gate.write(() -> {}));
    assertThrows(ShaleException.class, committer::close);
  }

  @Test
  void writesNobodySyncsAreCommittedInTheBackground() throws Exception {
    CommitGate gate = new CommitGate();
    AtomicInteger commits = new AtomicInteger();
    GroupCommitter committer = new GroupCommitter("test-syncer", commits::incrementAndGet, gate, Duration.ofMillis(5));
    try {
      Thread.sleep(30);
      assertEquals(0, commits.get(), "no writes, no commits");
      gate.write(() -> {});
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (commits.get() == 0) {
        assertTrue(System.nanoTime() < deadline, "background commit never ran");
        Thread.sleep(1);
      }
    } finally {
      committer.close();
    }
    assertEquals(1, commits.get());
  }

  @Test
  void closeCommitsPendingWrites() {
    CommitGate gate = new CommitGate();
    AtomicInteger commits = new AtomicInteger();
    GroupCommitter committer = new GroupCommitter("test-syncer", commits::incrementAndGet, gate, NEVER);
    gate.write(() -> {});
    committer.close();
    assertEquals(1, commits.get());
    assertThrows(IllegalStateException.class, committer::sync);
  }

  @Test
  void concurrentSyncsOfFileStorageShareCommits() throws Exception {
    int threads = 8;
    int syncsPerThread = 40;
    try (NodeStorage storage = NodeStorage.open(StorageConfig.file(directory))) {
      ShardStore shard = storage.createShard(1);
      long commitsBefore = ((MapDbNodeStorage) storage).commitCount();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(
            start(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  for (int i = 0; i < syncsPerThread; i++) {
                    byte[] key = {(byte) thread, (byte) i};
                    shard.commitOnePhase(1, List.of(Mutation.put(key, key)), () -> 2);
                    storage.sync();
                  }
                }));
      }
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      long commits = ((MapDbNodeStorage) storage).commitCount() - commitsBefore;
      assertTrue(commits > 0);
      assertTrue(commits < threads * syncsPerThread, "every sync ran its own commit: " + commits);
    }
  }
}
