package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DDL is visible on every node once acknowledged: a use of a table ({@value #PROBE}, invoked with
 * its name) that began after its {@code CREATE TABLE} ({@value #CREATE}, invoked with the name)
 * was acknowledged must not fail with {@value #UNDEFINED_TABLE} (the FAIL completion's value is
 * the SQLSTATE), on whatever node it runs.
 */
public final class DdlChecker implements Checker {
  public static final String CREATE = "create-table";
  public static final String PROBE = "probe-table";
  public static final String UNDEFINED_TABLE = "42P01";

  @Override
  public String name() {
    return "ddl";
  }

  @Override
  public List<String> check(History history) {
    List<History.Operation> operations = history.operations();
    Map<Object, History.Operation> created = new HashMap<>();
    for (History.Operation operation : operations) {
      if (operation.f().equals(CREATE) && operation.ok()) {
        created.put(operation.invocation().value(), operation);
      }
    }
    List<String> violations = new ArrayList<>();
    for (History.Operation probe : operations) {
      if (!probe.f().equals(PROBE) || !probe.failed() || !UNDEFINED_TABLE.equals(probe.completion().value())) {
        continue;
      }
      History.Operation create = created.get(probe.invocation().value());
      if (create != null && create.completedNanos() < probe.invocation().nanos()) {
        violations.add("table " + probe.invocation().value() + " unknown on node " + probe.invocation().node()
            + " after its creation was acknowledged: " + probe + " after " + create);
      }
    }
    return violations;
  }
}
