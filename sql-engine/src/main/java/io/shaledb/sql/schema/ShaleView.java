package io.shaledb.sql.schema;

import io.shaledb.sql.catalog.ViewDef;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A view as Calcite sees it: a table whose scan is replaced by its query, expanded through the
 * statement's {@link RelOptTable.ViewExpander} wherever it is used. Read-only.
 */
public final class ShaleView extends AbstractTable implements TranslatableTable {
  private final ViewDef view;
  private final List<String> schemaPath;
  private final Function<ShaleView, RelDataType> rowTypeResolver;

  /**
   * @param schemaPath the schema the view's query resolves names in
   * @param rowTypeResolver validates the view's query and returns its row type; called at most as
   *     often as Calcite asks for the row type, so it should cache
   */
  public ShaleView(ViewDef view, List<String> schemaPath, Function<ShaleView, RelDataType> rowTypeResolver) {
    this.view = Objects.requireNonNull(view, "view");
    this.schemaPath = List.copyOf(schemaPath);
    this.rowTypeResolver = Objects.requireNonNull(rowTypeResolver, "rowTypeResolver");
  }

  public ViewDef definition() {
    return view;
  }

  /** The query to expand: the stored query, with the view's own column names applied if it has them. */
  public String expandedSql() {
    if (view.columnNames().isEmpty()) {
      return view.sql();
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM (").append(view.sql()).append(") AS ")
        .append(quote(view.name())).append(" (");
    for (int i = 0; i < view.columnNames().size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(quote(view.columnNames().get(i)));
    }
    return sql.append(')').toString();
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return rowTypeResolver.apply(this);
  }

  @Override
  public Schema.TableType getJdbcTableType() {
    return Schema.TableType.VIEW;
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelDataType rowType = relOptTable.getRowType();
    List<String> viewPath = new java.util.ArrayList<>(schemaPath);
    viewPath.add(view.name());
    RelRoot root = context.expandView(rowType, expandedSql(), schemaPath, viewPath);
    // project() drops columns the view's ORDER BY added; the cast restores the declared names.
    return RelOptUtil.createCastRel(root.project(), rowType, true);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
