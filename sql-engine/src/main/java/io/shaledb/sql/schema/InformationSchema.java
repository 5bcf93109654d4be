package io.shaledb.sql.schema;

import io.shaledb.kv.Transaction;
import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.sql.catalog.CheckDef;
import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.ForeignKeyDef;
import io.shaledb.sql.catalog.IndexDef;
import io.shaledb.sql.catalog.SqlColumnType;
import io.shaledb.sql.catalog.SequenceDef;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.catalog.UniqueDef;
import io.shaledb.sql.catalog.ViewDef;
import io.shaledb.sql.runtime.ScanExecution;
import io.shaledb.sql.security.MetadataVisibility;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL standard's {@code information_schema} over one catalog snapshot: {@code schemata},
 * {@code tables}, {@code columns}, {@code table_constraints}, {@code key_column_usage},
 * {@code referential_constraints}, {@code check_constraints}, {@code views} and {@code sequences}, with the column
 * names PostgreSQL uses, and ShaleDB's {@code indexes} and {@code cluster_nodes}. Rows are computed
 * at every scan and describe the {@code public} schema.
 */
public final class InformationSchema {
  public static final String SCHEMA_NAME = "information_schema";
  /** What {@code *_catalog} columns report: the database has one catalog. */
  public static final String CATALOG_NAME = "shaledb";

  private final String userSchema;
  private final Collection<TableDef> tables;
  private final Collection<ViewDef> views;
  private final Collection<SequenceDef> sequences;
  private final Function<String, RelDataType> viewRowType;
  private final MetadataVisibility visibility;
  private final ClusterNodesView clusterNodes;

  /**
   * @param viewRowType a view's columns by its name: its query validated (may throw if it no longer validates)
   * @param visibility what each user is shown: a scan shows the user running the statement (the
   *     DataContext's {@code user}) what this allows, and the engine's own statements everything
   * @param clusterNodes the rows of {@code cluster_nodes}
   */
  public InformationSchema(String userSchema, Collection<TableDef> tables, Collection<ViewDef> views,
      Collection<SequenceDef> sequences, Function<String, RelDataType> viewRowType, MetadataVisibility visibility, ClusterNodesView clusterNodes) {
    this.userSchema = userSchema;
    this.tables = List.copyOf(tables);
    this.views = List.copyOf(views);
    this.sequences = List.copyOf(sequences);
    this.viewRowType = viewRowType;
    this.visibility = visibility;
    this.clusterNodes = java.util.Objects.requireNonNull(clusterNodes, "clusterNodes");
  }

  /** This schema as {@code user} sees it. */
  private InformationSchema visibleTo(String user) {
    if (visibility == null || user == null) {
      return this;
    }
    List<TableDef> visibleTables = new ArrayList<>();
    for (TableDef table : tables) {
      if (visibility.seesTable(user, table.tableId())) {
        visibleTables.add(table);
      }
    }
    // Sequences are shown to whoever is shown views: any user may draw from them.
    return new InformationSchema(userSchema, visibleTables, visibility.seesViews(user) ? views : List.of(),
        visibility.seesViews(user) ? sequences : List.of(), viewRowType, null, clusterNodes);
  }

  /** The tables of the schema, by name. */
  public Map<String, Table> tables() {
    Map<String, Table> result = new LinkedHashMap<>();
    result.put("schemata", new SystemTable(new String[] {"catalog_name", "schema_name"}, InformationSchema::schemata));
    result.put("tables", new SystemTable(new String[] {"table_catalog", "table_schema", "table_name", "table_type"},
        InformationSchema::tableRows));
    result.put("columns", new SystemTable(new String[] {"table_catalog", "table_schema", "table_name", "column_name",
        "ordinal_position:int", "column_default", "is_nullable", "data_type", "character_maximum_length:int",
        "numeric_precision:int", "numeric_scale:int", "is_identity"}, InformationSchema::columnRows));
    result.put("table_constraints", new SystemTable(new String[] {"constraint_catalog", "constraint_schema",
        "constraint_name", "table_catalog", "table_schema", "table_name", "constraint_type"}, InformationSchema::constraintRows));
    result.put("key_column_usage", new SystemTable(new String[] {"constraint_catalog", "constraint_schema",
        "constraint_name", "table_catalog", "table_schema", "table_name", "column_name", "ordinal_position:int",
        "position_in_unique_constraint:int"}, InformationSchema::keyColumnRows));
    result.put("referential_constraints", new SystemTable(new String[] {"constraint_catalog", "constraint_schema",
        "constraint_name", "unique_constraint_catalog", "unique_constraint_schema", "unique_constraint_name",
        "update_rule", "delete_rule"}, InformationSchema::referentialRows));
    result.put("check_constraints", new SystemTable(new String[] {"constraint_catalog", "constraint_schema",
        "constraint_name", "check_clause"}, InformationSchema::checkRows));
    result.put("views", new SystemTable(new String[] {"table_catalog", "table_schema", "table_name",
        "view_definition"}, InformationSchema::viewRows));
    result.put("sequences", new SystemTable(new String[] {"sequence_catalog", "sequence_schema", "sequence_name",
        "data_type", "start_value", "minimum_value", "maximum_value", "increment", "cycle_option"},
        InformationSchema::sequenceRows));
    result.put("indexes", new SystemTable(new String[] {"table_catalog", "table_schema", "table_name", "index_name",
        "column_name", "ordinal_position:int", "sort_order", "is_unique", "index_origin", "is_ready"}, InformationSchema::indexRows));
    result.put("current_transaction", new SystemTable(new String[] {"start_timestamp:bigint"},
        (schema, root) -> currentTransactionRows(root)));
    result.put("cluster_nodes", new SystemTable(new String[] {"node_id:int", "address", "rpc_address", "state",
        "metadata_role"}, InformationSchema::clusterNodeRows));
    return result;
  }

  /**
   * ShaleDB's own: one row with the statement's transaction's start (snapshot) timestamp, the
   * oracle's hybrid timestamp its reads see the store at. Fault tests read it to check that
   * timestamps only grow across failures; like CockroachDB's {@code cluster_logical_timestamp()}.
   */
  private static List<Object[]> currentTransactionRows(DataContext root) {
    if (root.get(ScanExecution.TRANSACTION_VARIABLE) instanceof Transaction transaction) {
      return List.<Object[]>of(new Object[] {transaction.startTimestamp()});
    }
    return List.of();
  }

  private List<Object[]> clusterNodeRows() {
    List<Object[]> rows = new ArrayList<>();
    for (ClusterNodesView.Node node : clusterNodes.nodes()) {
      rows.add(new Object[] {node.nodeId(), node.address(), node.rpcAddress(), node.state(), node.metadataRole()});
    }
    return rows;
  }

  private List<Object[]> schemata() {
    return List.of(new Object[] {CATALOG_NAME, SCHEMA_NAME}, new Object[] {CATALOG_NAME, userSchema});
  }

  private List<Object[]> tableRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      rows.add(new Object[] {CATALOG_NAME, userSchema, table.name(), "BASE TABLE"});
    }
    for (ViewDef view : views) {
      rows.add(new Object[] {CATALOG_NAME, userSchema, view.name(), "VIEW"});
    }
    return rows;
  }

  private List<Object[]> columnRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      for (int i = 0; i < table.visibleColumns().size(); i++) {
        ColumnDef column = table.columns().get(i);
        SqlColumnType type = column.type();
        boolean text = type.storage() == ColumnType.CHAR || type.storage() == ColumnType.VARCHAR;
        Integer length = text && type.precision() != SqlColumnType.UNSPECIFIED ? type.precision() : null;
        Integer precision = numericPrecision(type);
        Integer scale = null;
        if (type.storage() == ColumnType.DECIMAL) {
          scale = type.scale();
        } else if (precision != null && type.storage() != ColumnType.REAL && type.storage() != ColumnType.DOUBLE) {
          scale = 0;
        }
        rows.add(new Object[] {CATALOG_NAME, userSchema, table.name(), column.name(), i + 1, column.defaultSql(),
            column.nullable() ? "YES" : "NO", type.declaredName().toLowerCase(Locale.ROOT), length, precision, scale,
            column.generation().generates() ? "YES" : "NO"});
      }
    }
    for (ViewDef view : views) {
      RelDataType rowType;
      try {
        rowType = viewRowType.apply(view.name());
      } catch (RuntimeException e) {
        // A view whose query no longer validates has no columns to show; the others still do.
        continue;
      }
      List<RelDataTypeField> fields = rowType.getFieldList();
      for (int i = 0; i < fields.size(); i++) {
        RelDataType type = fields.get(i).getType();
        SqlTypeName name = type.getSqlTypeName();
        boolean text = name == SqlTypeName.CHAR || name == SqlTypeName.VARCHAR;
        Integer length = text && type.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED ? type.getPrecision() : null;
        // The same precision and scale a table column of the type reports (binary for integers and floats).
        Integer precision = switch (name) {
          case SMALLINT -> 16;
          case INTEGER -> 32;
          case BIGINT -> 64;
          case REAL, FLOAT -> 24;
          case DOUBLE -> 53;
          case DECIMAL -> type.getPrecision();
          default -> null;
        };
        Integer scale = switch (name) {
          case SMALLINT, INTEGER, BIGINT -> 0;
          case DECIMAL -> type.getScale();
          default -> null;
        };
        rows.add(new Object[] {CATALOG_NAME, userSchema, view.name(), fields.get(i).getName(), i + 1, null,
            type.isNullable() ? "YES" : "NO", (name == SqlTypeName.CHAR ? "varchar" : name.getName()
            .toLowerCase(Locale.ROOT)), length, precision, scale, "NO"});
      }
    }
    return rows;
  }

  private static Integer numericPrecision(SqlColumnType type) {
    return switch (type.storage()) {
      case SMALLINT -> 16;
      case INTEGER -> 32;
      case BIGINT -> 64;
      case REAL -> 24;
      case DOUBLE -> 53;
      case DECIMAL -> type.precision();
      default -> null;
    };
  }

  private List<Object[]> constraintRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      if (!table.hasHiddenRowId()) {
        rows.add(constraintRow(table, primaryKeyName(table), "PRIMARY KEY"));
      }
      for (UniqueDef unique : table.uniqueConstraints()) {
        rows.add(constraintRow(table, unique.name(), "UNIQUE"));
      }
      for (ForeignKeyDef fk : table.foreignKeys()) {
        rows.add(constraintRow(table, fk.name(), "FOREIGN KEY"));
      }
      for (CheckDef check : table.checks()) {
        rows.add(constraintRow(table, check.name(), "CHECK"));
      }
    }
    return rows;
  }

  private Object[] constraintRow(TableDef table, String name, String type) {
    return new Object[] {CATALOG_NAME, userSchema, name, CATALOG_NAME, userSchema, table.name(), type};
  }

  private List<Object[]> keyColumnRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      addKeyColumns(rows, table, primaryKeyName(table), table.visiblePrimaryKeyNames(), null);
      for (UniqueDef unique : table.uniqueConstraints()) {
        addKeyColumns(rows, table, unique.name(), unique.columns(), null);
      }
      for (ForeignKeyDef fk : table.foreignKeys()) {
        addKeyColumns(rows, table, fk.name(), fk.columns(), referencedPositions(fk));
      }
    }
    return rows;
  }

  private void addKeyColumns(List<Object[]> rows, TableDef table, String constraint, List<String> columns,
      List<Integer> positionsInUnique) {
    for (int i = 0; i < columns.size(); i++) {
      rows.add(new Object[] {CATALOG_NAME, userSchema, constraint, CATALOG_NAME, userSchema, table.name(),
          columns.get(i), i + 1, positionsInUnique == null ? null : positionsInUnique.get(i)});
    }
  }

  /** Position of each referenced column in the referenced table's primary key (or its order of mention). */
  private List<Integer> referencedPositions(ForeignKeyDef fk) {
    List<Integer> positions = new ArrayList<>();
    TableDef referenced = find(fk.referencedTable());
    for (int i = 0; i < fk.columns().size(); i++) {
      Integer position = i + 1;
      if (referenced != null && !fk.referencedColumns().isEmpty()) {
        int column = referenced.columnIndex(fk.referencedColumns().get(i));
        int inKey = referenced.primaryKey().indexOf(column);
        position = inKey >= 0 ? inKey + 1 : i + 1;
      }
      positions.add(position);
    }
    return positions;
  }

  private List<Object[]> referentialRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      for (ForeignKeyDef fk : table.foreignKeys()) {
        String uniqueName = referencedKeyName(fk);
        String deleteRule = fk.onDelete().name().replace('_', ' ');
        rows.add(new Object[] {CATALOG_NAME, userSchema, fk.name(), CATALOG_NAME, userSchema, uniqueName,
            "NO ACTION", deleteRule});
      }
    }
    return rows;
  }

  /** The primary key or UNIQUE constraint whose columns {@code fk} references, or null if its table is gone. */
  private String referencedKeyName(ForeignKeyDef fk) {
    TableDef referenced = find(fk.referencedTable());
    if (referenced == null) {
      return null;
    }
    if (!fk.referencedColumns().isEmpty() && !fk.referencedColumns().equals(referenced.primaryKeyNames())) {
      for (UniqueDef unique : referenced.uniqueConstraints()) {
        if (unique.columns().equals(fk.referencedColumns())) {
          return unique.name();
        }
      }
    }
    return primaryKeyName(referenced);
  }

  private List<Object[]> checkRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      for (CheckDef check : table.checks()) {
        rows.add(new Object[] {CATALOG_NAME, userSchema, check.name(), check.conditionSql()});
      }
    }
    return rows;
  }

  /** As PostgreSQL's view: the numbers as text, the type in lower case, never cycling. */
  private List<Object[]> sequenceRows() {
    List<Object[]> rows = new ArrayList<>();
    for (SequenceDef sequence : sequences) {
      rows.add(new Object[] {CATALOG_NAME, userSchema, sequence.name(), sequence.dataType().toLowerCase(java.util.Locale.ROOT),
          Long.toString(sequence.start()), Long.toString(sequence.minValue()), Long.toString(sequence.maxValue()),
          Long.toString(sequence.increment()), "NO"});
    }
    return rows;
  }

  private List<Object[]> viewRows() {
    List<Object[]> rows = new ArrayList<>();
    for (ViewDef view : views) {
      rows.add(new Object[] {CATALOG_NAME, userSchema, view.name(), view.sql()});
    }
    return rows;
  }

  /**
   * One row per column of every secondary index (PostgreSQL has no standard view for indexes;
   * this one is ShaleDB's). {@code index_origin} says why the index exists: {@code INDEX} (CREATE
   * INDEX), {@code UNIQUE} (a UNIQUE constraint of the same name) or {@code FOREIGN KEY}; an index
   * CREATE INDEX is still filling is not ready.
   */
  private List<Object[]> indexRows() {
    List<Object[]> rows = new ArrayList<>();
    for (TableDef table : tables) {
      for (IndexDef index : table.indexes()) {
        String origin = switch (index.origin()) {
          case USER -> "INDEX";
          case UNIQUE_CONSTRAINT -> "UNIQUE";
          case FOREIGN_KEY -> "FOREIGN KEY";
        };
        for (int i = 0; i < index.columns().size(); i++) {
          rows.add(new Object[] {CATALOG_NAME, userSchema, table.name(), index.name(), index.columns().get(i), i + 1,
              index.orders().get(i).name(), index.unique() ? "YES" : "NO", origin, index.ready() ? "YES" : "NO"});
        }
      }
    }
    return rows;
  }

  private TableDef find(String name) {
    for (TableDef table : tables) {
      if (table.name().equals(name)) {
        return table;
      }
    }
    return null;
  }

  /** The name ShaleDB gives a table's primary key (as PostgreSQL does). */
  public static String primaryKeyName(TableDef table) {
    return table.name() + "_pkey";
  }

  /**
   * A read-only table of computed rows. Columns are VARCHAR unless their spec ends in
   * {@code :int} or {@code :bigint}; every column is nullable.
   */
  private final class SystemTable extends AbstractTable implements ScannableTable {
    private final String[] columns;
    private final BiFunction<InformationSchema, DataContext, List<Object[]>> rows;

    SystemTable(String[] columns, Function<InformationSchema, List<Object[]>> rows) {
      this(columns, (schema, root) -> rows.apply(schema));
    }

    SystemTable(String[] columns, BiFunction<InformationSchema, DataContext, List<Object[]>> rows) {
      this.columns = columns.clone();
      this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder builder = typeFactory.builder();
      for (String spec : columns) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        SqlTypeName typeName = switch (colon < 0 ? "" : spec.substring(colon + 1)) {
          case "int" -> SqlTypeName.INTEGER;
          case "bigint" -> SqlTypeName.BIGINT;
          default -> SqlTypeName.VARCHAR;
        };
        RelDataType type = typeFactory.createSqlType(typeName);
        builder.add(name, typeFactory.createTypeWithNullability(type, true));
      }
      return builder.build();
    }

    @Override
    public Schema.TableType getJdbcTableType() {
      return Schema.TableType.SYSTEM_TABLE;
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      Object user = root.get(DataContext.Variable.USER.camelName);
      return Linq4j.asEnumerable(rows.apply(visibleTo(user instanceof String name ? name : null), root));
    }
  }
}
