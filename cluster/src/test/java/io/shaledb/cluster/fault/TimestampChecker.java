package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transaction start timestamps only grow: every operation that reported its transaction's start
 * timestamp ({@link Op#startTimestamp()}) must have a larger one than every such operation that
 * completed before it was invoked (it took its timestamp later), and no two transactions share
 * one. Holds across restarts, pauses, partitions and clock steps of the oracle's node.
 */
public final class TimestampChecker implements Checker {
  @Override
  public String name() {
    return "timestamps";
  }

  @Override
  public List<String> check(History history) {
    List<History.Operation> stamped = new ArrayList<>();
    for (History.Operation operation : history.operations()) {
      if (operation.startTimestamp() >= 0) {
        stamped.add(operation);
      }
    }
    List<String> violations = new ArrayList<>();
    Map<Long, History.Operation> byTimestamp = new HashMap<>();
    for (History.Operation operation : stamped) {
      History.Operation other = byTimestamp.putIfAbsent(operation.startTimestamp(), operation);
      if (other != null) {
        violations.add("two transactions started at " + operation.startTimestamp() + ": " + other + " and " + operation);
      }
    }
    List<History.Operation> byCompletion = new ArrayList<>(stamped);
    byCompletion.sort(Comparator.comparingLong(History.Operation::completedNanos));
    List<History.Operation> byInvocation = new ArrayList<>(stamped);
    byInvocation.sort(Comparator.comparingLong(o -> o.invocation().nanos()));
    int completed = 0;
    History.Operation latest = null;
    for (History.Operation operation : byInvocation) {
      while (completed < byCompletion.size()
          && byCompletion.get(completed).completedNanos() < operation.invocation().nanos()) {
        History.Operation done = byCompletion.get(completed++);
        if (latest == null || done.startTimestamp() > latest.startTimestamp()) {
          latest = done;
        }
      }
      if (latest != null && operation.startTimestamp() <= latest.startTimestamp()) {
        violations.add("timestamp went backwards: " + operation + " started after " + latest + " had completed");
      }
    }
    return violations;
  }
}
