package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Set: clients insert unique elements ({@value #ADD}, invoked with a {@code Long}); a read of the
 * whole set ({@value #READ}, completed with a {@code Collection<Long>}) must hold every element
 * whose insert was acknowledged before the read began (else it was lost), and nothing that was
 * never inserted. Inserts that failed or ended in doubt may be present or not.
 */
public final class SetChecker implements Checker {
  public static final String ADD = "add";
  public static final String READ = "set-read";

  @Override
  public String name() {
    return "set";
  }

  @Override
  public List<String> check(History history) {
    List<History.Operation> operations = history.operations();
    Set<Object> attempted = new HashSet<>();
    for (History.Operation operation : operations) {
      if (operation.f().equals(ADD)) {
        attempted.add(operation.invocation().value());
      }
    }
    List<String> violations = new ArrayList<>();
    for (History.Operation read : operations) {
      if (!read.f().equals(READ) || !read.ok()) {
        continue;
      }
      Collection<?> seen = (Collection<?>) read.completion().value();
      Set<Object> seenSet = new HashSet<>(seen);
      Set<Object> lost = new TreeSet<>();
      for (History.Operation add : operations) {
        if (add.f().equals(ADD) && add.ok() && add.completedNanos() < read.invocation().nanos()
            && !seenSet.contains(add.invocation().value())) {
          lost.add(add.invocation().value());
        }
      }
      if (!lost.isEmpty()) {
        violations.add(lost.size() + " acknowledged inserts missing from a read on node " + read.invocation().node()
            + ": " + lost);
      }
      Set<Object> unexpected = new TreeSet<>();
      for (Object element : seen) {
        if (!attempted.contains(element)) {
          unexpected.add(element);
        }
      }
      if (!unexpected.isEmpty()) {
        violations.add("a read on node " + read.invocation().node() + " holds elements never inserted: " + unexpected);
      }
    }
    return violations;
  }
}
