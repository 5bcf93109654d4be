package io.shaledb.sql.stats;

import io.shaledb.kv.KeyRouting;
import io.shaledb.kv.KvCursor;
import io.shaledb.kv.KvEntry;
import io.shaledb.kv.ScanSpec;
import io.shaledb.kv.Transaction;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.schema.TableLayout;
import java.util.List;

/**
 * Gathers a table's statistics by reading every row at one snapshot. Rows are collected per shard
 * (the shard a key lives in, {@link KeyRouting}) and the shards' collectors merged, which is the
 * shape a cluster-wide ANALYZE takes when each node collects its own shards.
 */
public final class TableAnalyzer {
  private TableAnalyzer() {}

  public static TableStatistics analyze(Transaction txn, TableDef table, long nowMillis) {
    TableLayout layout = new TableLayout(table);
    StatisticsCollector[] shards = new StatisticsCollector[table.shardCount()];
    int columnCount = table.columns().size();
    try (KvCursor cursor = txn.scan(ScanSpec.wholeKeyspace(layout.keyspaceId()))) {
      while (cursor.hasNext()) {
        KvEntry entry = cursor.next();
        int shard = KeyRouting.shardIndex(entry.key(), shards.length);
        if (shards[shard] == null) {
          shards[shard] = new StatisticsCollector(columnCount);
        }
        shards[shard].add(entry.key(), layout.decodeRow(entry.value()));
      }
    }
    StatisticsCollector whole = new StatisticsCollector(columnCount);
    for (StatisticsCollector shard : shards) {
      if (shard != null) {
        whole.merge(shard);
      }
    }
    List<String> names = table.columns().stream().map(ColumnDef::name).toList();
    return whole.result(names, nowMillis);
  }
}
