package io.shaledb.cluster.fault;

import java.util.List;

/** Looks for one kind of anomaly in a history; each violation is one line saying what and where. */
public interface Checker {
  String name();

  List<String> check(History history);
}
