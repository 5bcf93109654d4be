package io.shaledb.sql.plan;

import io.shaledb.sql.session.PreparedSql;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Plans by statement text, so repeated statements skip parsing, planning and code generation.
 * A plan made for an older catalog version is never returned: DDL invalidates every plan it could
 * affect by changing the version. Plans are immutable and shared by all sessions. Least recently
 * used plans are evicted beyond {@code capacity}. Thread-safe.
 */
public final class PlanCache {
  private final int capacity;
  private final Map<String, PreparedSql> plans;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public PlanCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative");
    }
    this.capacity = capacity;
    this.plans = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PreparedSql> eldest) {
        return size() > PlanCache.this.capacity;
      }
    };
  }

  /** The plan of {@code sql} valid for {@code catalogVersion}, made by {@code planner} if not cached. */
  public PreparedSql get(String sql, long catalogVersion, Function<String, PreparedSql> planner) {
    synchronized (plans) {
      PreparedSql cached = plans.get(sql);
      if (cached != null && cached.catalogVersion() == catalogVersion) {
        hits.incrementAndGet();
        return cached;
      }
    }
    misses.incrementAndGet();
    // Planned outside the lock: two sessions may plan the same text at once, which is harmless.
    PreparedSql planned = planner.apply(sql);
    if (isCacheable(planned.plan())) {
      synchronized (plans) {
        plans.put(sql, planned);
      }
    }
    return planned;
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  private static boolean isCacheable(StatementPlan plan) {
    return !(plan instanceof StatementPlan.Ddl || plan instanceof StatementPlan.TransactionControl
        || plan instanceof StatementPlan.Explain);
  }
}
