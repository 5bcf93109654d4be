package io.shaledb.sql.plan;

import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.runtime.CheckEvaluator;
import io.shaledb.sql.runtime.ForeignKeyLink;
import io.shaledb.sql.schema.ShaleTable;
import io.shaledb.sql.session.SchemaSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a {@link io.shaledb.sql.runtime.TableWriter} enforces beyond a row's own columns, for one catalog version: the
 * foreign keys each table has and those that reference it, and each table's compiled CHECK
 * constraints (compiled on first use, then shared). Thread-safe.
 */
public final class WriteRules {
  private final long catalogVersion;
  private final Map<String, List<ForeignKeyLink>> outgoing = new HashMap<>();
  private final Map<String, List<ForeignKeyLink>> incoming = new HashMap<>();
  private final Map<String, Optional<CheckEvaluator>> checks = new ConcurrentHashMap<>();
  private final Function<ShaleTable, CheckEvaluator> checkCompiler;

  public WriteRules(SchemaSnapshot schema, Function<ShaleTable, CheckEvaluator> checkCompiler) {
    this.catalogVersion = schema.catalogVersion();
    this.checkCompiler = checkCompiler;
    for (ShaleTable child : schema.tables().values()) {
      for (ForeignKeyDef fk : child.definition().foreignKeys()) {
        ShaleTable parent = schema.tables().get(fk.referencedTable());
        if (parent == null) {
          throw new IllegalStateException("foreign key " + fk.name() + " references missing table " + fk.referencedTable());
        }
        ForeignKeyLink link = new ForeignKeyLink(fk, child, parent);
        outgoing.computeIfAbsent(child.definition().name(), name -> new ArrayList<>()).add(link);
        incoming.computeIfAbsent(parent.definition().name(), name -> new ArrayList<>()).add(link);
      }
    }
  }

  public long catalogVersion() {
    return catalogVersion;
  }

  /** The foreign keys of {@code table}. */
  public List<ForeignKeyLink> foreignKeys(ShaleTable table) {
    return outgoing.getOrDefault(table.definition().name(), List.of());
  }

  /** The foreign keys that reference {@code table}. */
  public List<ForeignKeyLink> referencing(ShaleTable table) {
    return incoming.getOrDefault(table.definition().name(), List.of());
  }

  /** The CHECK constraints of {@code table}, or null if it has none. */
  public CheckEvaluator checks(ShaleTable table) {
    if (table.definition().checks().isEmpty()) {
      return null;
    }
    return checks.computeIfAbsent(table.definition().name(), name -> Optional.ofNullable(checkCompiler.apply(table)))
        .orElse(null);
  }
}
