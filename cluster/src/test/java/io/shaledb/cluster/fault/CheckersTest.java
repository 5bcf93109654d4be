package io.shaledb.cluster.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every checker on a clean history (no violation) and on the same history with the anomaly it
 * exists to catch planted (exactly that violation).
 */
class CheckersTest {

  /** Builds a history with explicit times: each call is one event at the next tick. */
  private static final class Events {
    private final List<Op> ops = new ArrayList<>();
    private long now;

    Events invoke(int process, String f, Object value, int node) {
      ops.add(new Op(process, Op.Type.INVOKE, f, value, node, ++now, -1));
      return this;
    }

    Events ok(int process, String f, Object value, long startTimestamp) {
      return complete(Op.Type.OK, process, f, value, startTimestamp);
    }

    Events fail(int process, String f, Object value) {
      return complete(Op.Type.FAIL, process, f, value, -1);
    }

    Events info(int process, String f) {
      return complete(Op.Type.INFO, process, f, null, -1);
    }

    private Events complete(Op.Type type, int process, String f, Object value, long startTimestamp) {
      Op invoke = ops.stream().filter(o -> o.process() == process && o.type() == Op.Type.INVOKE)
          .reduce((a, b) -> b).orElseThrow();
      ops.add(new Op(process, type, f, value, invoke.node(), ++now, startTimestamp));
      return this;
    }

    History history() {
      return History.of(ops);
    }
  }

  private static Events op(Events events, int process, String f, Object value, int node, Object result, long ts) {
    return events.invoke(process, f, value, node).ok(process, f, result, ts);
  }

  // ---- bank ----

  private static Events bank(Map<Integer, Long> lastRead) {
    Events e = new Events();
    op(e, 1, BankChecker.READ, "bank_0", 1, Map.of(0, 10L, 1, 10L, 2, 10L), 5);
    e.invoke(2, BankChecker.TRANSFER, new BankChecker.Transfer("bank_0", 0, 1, 4), 2);
    e.invoke(1, BankChecker.READ, "bank_0", 3);
    e.ok(2, BankChecker.TRANSFER, null, 6);
    e.ok(1, BankChecker.READ, lastRead, 7);
    return e;
  }

  @Test
  void bankAcceptsSnapshotsWithTheTotalAndFindsOnesWithout() {
    BankChecker checker = new BankChecker(3, 30);
    assertEquals(List.of(), checker.check(bank(Map.of(0, 6L, 1, 14L, 2, 10L)).history()));
    // Half a transfer seen: the debit without the credit.
    List<String> violations = checker.check(bank(Map.of(0, 6L, 1, 10L, 2, 10L)).history());
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("holding 26, not 3 holding 30"), violations.get(0));
    // An account missing.
    assertEquals(1, checker.check(bank(Map.of(0, 16L, 1, 14L)).history()).size());
  }

  // ---- set ----

  private static Events set(Set<Long> finalRead) {
    Events e = new Events();
    op(e, 1, SetChecker.ADD, 1L, 1, null, -1);
    e.invoke(1, SetChecker.ADD, 2L, 2).fail(1, SetChecker.ADD, "08006");
    e.invoke(1, SetChecker.ADD, 3L, 3).info(1, SetChecker.ADD);
    op(e, 2, SetChecker.ADD, 4L, 2, null, -1);
    e.invoke(2, SetChecker.ADD, 5L, 2);
    op(e, 3, SetChecker.READ, null, 3, finalRead, -1);
    return e;
  }

  @Test
  void setAcceptsDoubtfulInsertsEitherWayAndFindsLostAndInventedOnes() {
    SetChecker checker = new SetChecker();
    assertEquals(List.of(), checker.check(set(Set.of(1L, 4L)).history()));
    assertEquals(List.of(), checker.check(set(Set.of(1L, 2L, 3L, 4L, 5L)).history()),
        "failed, in-doubt and unfinished inserts may show");
    List<String> lost = checker.check(set(Set.of(1L, 3L)).history());
    assertEquals(List.of("1 acknowledged inserts missing from a read on node 3: [4]"), lost);
    List<String> invented = checker.check(set(Set.of(1L, 4L, 9L)).history());
    assertEquals(List.of("a read on node 3 holds elements never inserted: [9]"), invented);
  }

  // ---- read after write ----

  private static Events registers(long readValue) {
    Events e = new Events();
    op(e, 1, ReadAfterWriteChecker.WRITE, new ReadAfterWriteChecker.Write(7, 1), 1, null, -1);
    op(e, 1, ReadAfterWriteChecker.WRITE, new ReadAfterWriteChecker.Write(7, 2), 2, null, -1);
    // Concurrent with the read: either value may be read.
    e.invoke(2, ReadAfterWriteChecker.WRITE, new ReadAfterWriteChecker.Write(7, 3), 1);
    op(e, 1, ReadAfterWriteChecker.READ, 7, 3, readValue, -1);
    e.ok(2, ReadAfterWriteChecker.WRITE, null, -1);
    // Another key, never written: reads 0.
    op(e, 1, ReadAfterWriteChecker.READ, 8, 3, 0L, -1);
    return e;
  }

  @Test
  void readAfterWriteAcceptsTheLatestOrAConcurrentValueAndFindsStaleOnes() {
    ReadAfterWriteChecker checker = new ReadAfterWriteChecker();
    assertEquals(List.of(), checker.check(registers(2).history()));
    assertEquals(List.of(), checker.check(registers(3).history()));
    List<String> stale = checker.check(registers(1).history());
    assertEquals(1, stale.size(), stale.toString());
    assertTrue(stale.get(0).startsWith("stale read of key 7"), stale.get(0));
    assertEquals(1, checker.check(registers(0).history()).size(), "the initial value after a write");
    List<String> invented = checker.check(registers(42).history());
    assertTrue(invented.get(0).contains("never written"), invented.toString());
  }

  // ---- timestamps ----

  private static Events timestamps(long third) {
    Events e = new Events();
    op(e, 1, BankChecker.TRANSFER, null, 1, null, 100);
    e.invoke(2, BankChecker.READ, "bank_0", 2);
    e.invoke(1, BankChecker.TRANSFER, null, 3);
    // Concurrent: any order between p1's second and p2's.
    e.ok(1, BankChecker.TRANSFER, null, 120);
    e.ok(2, BankChecker.READ, Map.of(), 110);
    e.invoke(3, BankChecker.TRANSFER, null, 1).fail(3, BankChecker.TRANSFER, "40001");
    e.invoke(3, BankChecker.TRANSFER, null, 1).complete(Op.Type.FAIL, 3, BankChecker.TRANSFER, "40001", third);
    return e;
  }

  @Test
  void timestampsMayInterleaveForConcurrentTransactionsButNeverGoBackAfterOneCompleted() {
    TimestampChecker checker = new TimestampChecker();
    assertEquals(List.of(), checker.check(timestamps(121).history()));
    List<String> backwards = checker.check(timestamps(115).history());
    assertEquals(1, backwards.size(), backwards.toString());
    assertTrue(backwards.get(0).startsWith("timestamp went backwards"), backwards.get(0));
    List<String> repeated = checker.check(timestamps(120).history());
    assertEquals(2, repeated.size(), "a repeat is also not larger: " + repeated);
    assertTrue(repeated.get(0).startsWith("two transactions started at 120"), repeated.toString());
  }

  // ---- ddl ----

  private static Events ddl(String probeOutcome) {
    Events e = new Events();
    e.invoke(1, DdlChecker.CREATE, "t1", 1);
    e.invoke(2, DdlChecker.PROBE, "t1", 2).fail(2, DdlChecker.PROBE, DdlChecker.UNDEFINED_TABLE);
    e.ok(1, DdlChecker.CREATE, null, -1);
    e.invoke(2, DdlChecker.PROBE, "t1", 3);
    if (probeOutcome == null) {
      e.ok(2, DdlChecker.PROBE, 0L, -1);
    } else {
      e.fail(2, DdlChecker.PROBE, probeOutcome);
    }
    e.invoke(1, DdlChecker.CREATE, "t2", 1).fail(1, DdlChecker.CREATE, "08006");
    e.invoke(2, DdlChecker.PROBE, "t2", 3).fail(2, DdlChecker.PROBE, DdlChecker.UNDEFINED_TABLE);
    return e;
  }

  @Test
  void ddlMayBeUnknownBeforeItsAcknowledgementButNotAfter() {
    DdlChecker checker = new DdlChecker();
    assertEquals(List.of(), checker.check(ddl(null).history()));
    assertEquals(List.of(), checker.check(ddl("08006").history()), "a node that cannot answer is no violation");
    List<String> violations = checker.check(ddl(DdlChecker.UNDEFINED_TABLE).history());
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("table t1 unknown on node 3"), violations.get(0));
  }

  @Test
  void aHistoryWithAnInvokeLeftOpenTwiceIsABrokenRecorder() {
    Events e = new Events().invoke(1, SetChecker.ADD, 1L, 1).invoke(1, SetChecker.ADD, 2L, 1);
    assertThrows(IllegalStateException.class, () -> e.history().operations());
  }
}
