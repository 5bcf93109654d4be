package io.shaledb.sql.plan;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.externalize.RelWriterImpl;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.Pair;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Writes a plan as EXPLAIN shows it: each operator with its attributes and the rows the planner expects from it. */
final class EstimatedRowsWriter extends RelWriterImpl {
  private EstimatedRowsWriter(PrintWriter writer) {
    super(writer, SqlExplainLevel.EXPPLAN_ATTRIBUTES, false);
  }

  static String explain(RelNode plan) {
    StringWriter text = new StringWriter();
    try (PrintWriter writer = new PrintWriter(text)) {
      plan.explain(new EstimatedRowsWriter(writer));
    }
    return text.toString();
  }

  @Override
  protected void explain_(RelNode rel, List<Pair<String, @Nullable Object>> values) {
    List<Pair<String, @Nullable Object>> withRows = new ArrayList<>(values);
    Double rows = rel.getCluster().getMetadataQuery().getRowCount(rel);
    withRows.add(Pair.of("rows", rows == null ? "?" : String.valueOf(Math.round(rows))));
    super.explain_(rel, withRows);
  }
}
