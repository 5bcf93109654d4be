package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The events of a test run in the order they happened ({@link Op}); thread-safe to append to.
 * Checkers read it as {@link Operation}s: each invoke with its completion.
 */
public final class History {
  private final List<Op> ops = new ArrayList<>();
  private final LongSupplier nanoTime;

  public History(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A history of given events, for checker tests. */
  public static History of(List<Op> events) {
    History history = new History(System::nanoTime);
    history.ops.addAll(events);
    return history;
  }

  public void invoke(int process, String f, Object value, int node) {
    append(new Op(process, Op.Type.INVOKE, f, value, node, nanoTime.getAsLong(), -1));
  }

  public void ok(int process, String f, Object value, int node, long startTimestamp) {
    append(new Op(process, Op.Type.OK, f, value, node, nanoTime.getAsLong(), startTimestamp));
  }

  public void fail(int process, String f, Object value, int node, long startTimestamp) {
    append(new Op(process, Op.Type.FAIL, f, value, node, nanoTime.getAsLong(), startTimestamp));
  }

  public void info(int process, String f, Object value, int node, long startTimestamp) {
    append(new Op(process, Op.Type.INFO, f, value, node, nanoTime.getAsLong(), startTimestamp));
  }

  private synchronized void append(Op op) {
    ops.add(op);
  }

  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /**
   * An invoked operation and how it ended.
   *
   * @param completion null if the process never completed it (the run ended first): like INFO
   */
  public record Operation(Op invocation, Op completion) {
    public String f() {
      return invocation.f();
    }

    public boolean ok() {
      return completion != null && completion.type() == Op.Type.OK;
    }

    public boolean failed() {
      return completion != null && completion.type() == Op.Type.FAIL;
    }

    /** When it completed, or {@link Long#MAX_VALUE} if it never did. */
    public long completedNanos() {
      return completion == null ? Long.MAX_VALUE : completion.nanos();
    }

    public long startTimestamp() {
      return completion == null ? -1 : completion.startTimestamp();
    }

    @Override
    public String toString() {
      return invocation + " -> " + (completion == null ? "never completed" : completion);
    }
  }

  /**
   * Every invoke paired with its process's next completion, in invoke order.
   *
   * @throws IllegalStateException if a process invoked twice without completing, or completed
   *     what it never invoked (a broken recorder, not a database anomaly)
   */
  public List<Operation> operations() {
    List<Op> events = ops();
    Map<Integer, Integer> open = new HashMap<>();
    List<Op> invocations = new ArrayList<>();
    Map<Integer, Op> completions = new HashMap<>();
    for (Op op : events) {
      if (op.type() == Op.Type.INVOKE) {
        if (open.containsKey(op.process())) {
          throw new IllegalStateException("process " + op.process() + " invoked twice: " + op);
        }
        open.put(op.process(), invocations.size());
        invocations.add(op);
      } else {
        Integer index = open.remove(op.process());
        if (index == null || !invocations.get(index).f().equals(op.f())) {
          throw new IllegalStateException("completion without its invoke: " + op);
        }
        completions.put(index, op);
      }
    }
    List<Operation> operations = new ArrayList<>(invocations.size());
    for (int i = 0; i < invocations.size(); i++) {
      operations.add(new Operation(invocations.get(i), completions.get(i)));
    }
    return operations;
  }
}
