package io.shaledb.sql.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.common.ShaleException;
import io.shaledb.sql.session.ExecutionResult;
import io.shaledb.sql.session.Session;
import io.shaledb.sql.session.SqlEngineConfig;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCacheTest {

  @Test
  void identicalTextsReuseTheirPlanUntilDdlChangesTheCatalog() {
    try (LocalEngine node = LocalEngine.open(StorageConfig.inMemory());
        Session session = node.engine().openSession()) {
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(5))");
      session.execute("INSERT INTO t VALUES (1, 'x')");
      long[] before = node.engine().planCacheHitsAndMisses();
      assertEquals(List.of(List.of(1, "x")), rows(session, "SELECT * FROM t"));
      assertEquals(List.of(List.of(1, "x")), rows(session, "SELECT * FROM t"));
      long[] after = node.engine().planCacheHitsAndMisses();
      assertEquals(1, after[0] - before[0], "second execution hits the cache");
      assertEquals(1, after[1] - before[1], "first execution plans");

      session.execute("DROP TABLE t");
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(5), b INT)");
      session.execute("INSERT INTO t VALUES (2, 'y', 3)");
      assertEquals(List.of(List.of(2, "y", 3)), rows(session, "SELECT * FROM t"), "DDL invalidated the old plan");
    }
  }

  @Test
  void planningThatExceedsItsTimeLimitFailsWith54001() {
    SqlEngineConfig config = new SqlEngineConfig(Clock.systemUTC(), 2).withPlanningTimeoutMs(1);
    try (LocalEngine node = LocalEngine.open(StorageConfig.inMemory(), config);
        Session session = node.engine().openSession()) {
      StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM t t0");
      session.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      for (int i = 1; i < 12; i++) {
        sql.append(" JOIN t t").append(i).append(" ON t").append(i - 1).append(".v = t").append(i).append(".id");
      }
      ShaleException error = assertThrows(ShaleException.class, () -> session.execute(sql.toString()));
      assertEquals("54001", error.sqlState().code(), error.getMessage());
    }
  }

  private static List<List<Object>> rows(Session session, String sql) {
    ExecutionResult.Rows result = (ExecutionResult.Rows) session.execute(sql);
    try (var cursor = result.cursor()) {
      return cursor.fetch(1000).stream().map(List::of).toList();
    }
  }
}
