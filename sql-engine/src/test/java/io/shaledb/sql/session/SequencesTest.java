package io.shaledb.sql.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.testing.LocalEngine;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequences drawn from many sessions at once and across restarts: never a value twice, and after a
 * restart every value is greater than any before it (the unused rest of a cached block is skipped).
 */
class SequencesTest {
  private static final int THREADS = 4;
  private static final int DRAWS_PER_THREAD = 250;

  @TempDir
  Path directory;

  @Test
  void concurrentSessionsNeverDrawTheSameValue() throws Exception {
    try (LocalEngine node = LocalEngine.open(StorageConfig.inMemory())) {
      try (Session session = node.engine().openSession()) {
        session.execute("CREATE SEQUENCE shared CACHE 7");
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<List<Long>>> draws = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Callable<List<Long>> drawer = () -> {
            List<Long> values = new ArrayList<>();
            try (Session session = node.engine().openSession()) {
              for (int i = 0; i < DRAWS_PER_THREAD; i++) {
                values.add(value(session, i % 2 == 0 ? "SELECT nextval('shared')" : "SELECT NEXT VALUE FOR shared"));
              }
            }
            return values;
          };
          draws.add(pool.submit(drawer));
        }
        Set<Long> distinct = new HashSet<>();
        for (Future<List<Long>> draw : draws) {
          distinct.addAll(draw.get());
        }
        assertEquals(THREADS * DRAWS_PER_THREAD, distinct.size(), "a value was handed out twice");
        // One node, no crash: no gaps either.
        assertEquals(1L, distinct.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(THREADS * DRAWS_PER_THREAD, distinct.stream().mapToLong(Long::longValue).max().orElseThrow());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void valuesAfterARestartExceedEveryValueBefore() {
    long before;
    try (LocalEngine node = LocalEngine.open(StorageConfig.file(directory));
        Session session = node.engine().openSession()) {
      session.execute("CREATE SEQUENCE durable START 5 INCREMENT 3 CACHE 10");
      before = 0;
      for (int i = 0; i < 4; i++) {
        before = Math.max(before, value(session, "SELECT nextval('durable')"));
      }
      assertEquals(14, before);
    }
    try (LocalEngine node = LocalEngine.open(StorageConfig.file(directory));
        Session session = node.engine().openSession()) {
      long after = value(session, "SELECT NEXT VALUE FOR durable");
      assertTrue(after > before, after + " after the restart, " + before + " before");
      // The rest of the block reserved before the restart is skipped, and the step is kept.
      assertEquals(35, after);
    }
  }

  @Test
  void restoreDatabaseBringsBackSequencesAndTheirPosition() {
    Path backup = directory.resolve("backup");
    long before = 0;
    try (LocalEngine source = LocalEngine.open(StorageConfig.inMemory());
        Session session = source.engine().openSession()) {
      session.execute("CREATE SEQUENCE saved START 100 INCREMENT -1 MAXVALUE 100 CACHE 3");
      for (int i = 0; i < 5; i++) {
        before = value(session, "SELECT nextval('saved')");
      }
      assertEquals(96, before);
      session.execute("BACKUP DATABASE TO '" + backup + "'");
    }
    try (LocalEngine target = LocalEngine.open(StorageConfig.inMemory());
        Session session = target.engine().openSession()) {
      session.execute("RESTORE DATABASE FROM '" + backup + "'");
      long after = value(session, "SELECT nextval('saved')");
      // Counting down: the restored sequence continues below every value handed out before the backup.
      assertTrue(after < before, after + " after the restore, " + before + " before");
      assertEquals(94, after);
      ShaleException clash = org.junit.jupiter.api.Assertions.assertThrows(ShaleException.class,
          () -> session.execute("CREATE TABLE saved (id INT PRIMARY KEY)"));
      assertEquals(SqlState.DUPLICATE_TABLE, clash.sqlState());
      ShaleException notEmpty = org.junit.jupiter.api.Assertions.assertThrows(ShaleException.class,
          () -> session.execute("RESTORE DATABASE FROM '" + backup + "'"));
      assertEquals(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, notEmpty.sqlState());
    }
  }

  @Test
  void onlyTheAdministratorCreatesAndDropsSequencesAndEveryUserDrawsFromThem() {
    try (LocalEngine node = LocalEngine.open(StorageConfig.inMemory());
        Session admin = node.engine().openSession()) {
      admin.execute("CREATE USER clerk PASSWORD 'secret'");
      admin.execute("CREATE SEQUENCE tickets");
      try (Session clerk = node.engine().openSession(new Principal("clerk"))) {
        assertEquals(1, value(clerk, "SELECT nextval('tickets')"));
        for (String ddl : List.of("CREATE SEQUENCE mine", "DROP SEQUENCE tickets")) {
          ShaleException refused = org.junit.jupiter.api.Assertions.assertThrows(ShaleException.class,
              () -> clerk.execute(ddl));
          assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, refused.sqlState(), ddl);
        }
      }
      assertEquals(2, value(admin, "SELECT NEXT VALUE FOR tickets"));
    }
  }

  private static long value(Session session, String sql) {
    try (var cursor = ((ExecutionResult.Rows) session.execute(sql)).cursor()) {
      return ((Number) cursor.fetch(1).get(0)[0]).longValue();
    }
  }
}
