package io.shaledb.cluster.fault;

/**
 * One event of a client history, as Jepsen records them: a process invokes an operation, then the
 * same process completes it with {@link Type#OK}, {@link Type#FAIL} (it certainly did not take
 * effect) or {@link Type#INFO} (it may or may not have). A process has at most one operation
 * outstanding.
 *
 * @param process the client (thread) that ran it
 * @param type what happened
 * @param f the operation's name ({@code transfer}, {@code read}, {@code add}, ...)
 * @param value on invoke what was asked; on completion what came back (a read's rows; on FAIL the SQLSTATE)
 * @param node the node the client talked to
 * @param nanos when, from {@link System#nanoTime()}
 * @param startTimestamp the transaction's start timestamp if the client learnt it, else -1
 */
public record Op(int process, Type type, String f, Object value, int node, long nanos, long startTimestamp) {
  public enum Type { INVOKE, OK, FAIL, INFO }

  public Op {
    if (type == null || f == null) {
      throw new IllegalArgumentException("type and f are required");
    }
  }

  @Override
  public String toString() {
    return "p" + process + " " + type + " " + f + " " + value + " on n" + node + " at " + nanos / 1_000_000 + " ms"
        + (startTimestamp >= 0 ? " ts " + startTimestamp : "");
  }
}
