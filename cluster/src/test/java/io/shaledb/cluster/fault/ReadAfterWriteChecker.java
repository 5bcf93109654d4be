package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-after-write across nodes on registers: writes ({@value #WRITE}, invoked with a {@link
 * Write}) give each key ever larger values, never two at once for one key (one client owns each
 * key); a read ({@value #READ}, invoked with the key, completed with the value, 0 for the initial
 * one) on any node must return at least the value of the last write acknowledged before the read
 * began, and only a value that some write tried (or 0).
 */
public final class ReadAfterWriteChecker implements Checker {
  public static final String WRITE = "register-write";
  public static final String READ = "register-read";

  public record Write(int key, long value) {}

  @Override
  public String name() {
    return "read-after-write";
  }

  @Override
  public List<String> check(History history) {
    List<History.Operation> operations = history.operations();
    Map<Integer, List<History.Operation>> acknowledgedByKey = new HashMap<>();
    Set<Write> attempted = new HashSet<>();
    for (History.Operation operation : operations) {
      if (operation.f().equals(WRITE)) {
        Write write = (Write) operation.invocation().value();
        attempted.add(write);
        if (operation.ok()) {
          acknowledgedByKey.computeIfAbsent(write.key(), k -> new ArrayList<>()).add(operation);
        }
      }
    }
    List<String> violations = new ArrayList<>();
    for (History.Operation read : operations) {
      if (!read.f().equals(READ) || !read.ok()) {
        continue;
      }
      int key = (Integer) read.invocation().value();
      long value = ((Number) read.completion().value()).longValue();
      long required = 0;
      History.Operation requiredBy = null;
      for (History.Operation write : acknowledgedByKey.getOrDefault(key, List.of())) {
        long written = ((Write) write.invocation().value()).value();
        if (write.completedNanos() < read.invocation().nanos() && written > required) {
          required = written;
          requiredBy = write;
        }
      }
      if (value < required) {
        violations.add("stale read of key " + key + ": " + read + " after " + requiredBy);
      } else if (value != 0 && !attempted.contains(new Write(key, value))) {
        violations.add("read of key " + key + " returned a value never written: " + read);
      }
    }
    return violations;
  }
}
