package io.shaledb.sql.ddl;

import io.shaledb.sql.catalog.ColumnDef;
import io.shaledb.sql.catalog.TableDef;
import java.util.List;

/** What schema changes need from the engine beyond the catalog: the planner and the data. */
public interface SchemaServices {

  /**
   * Validates a view's query against the current schema.
   *
   * @return the names of the columns the query produces
   * @throws io.shaledb.common.ShaleException if the query is not valid
   */
  List<String> viewColumns(String querySql);

  /**
   * Evaluates a constant expression (a column DEFAULT) once, as a value of {@code column}'s type in
   * its storage representation, checked against the column's length and precision.
   *
   * @return the value, or null for NULL
   */
  Object evaluateDefault(String expressionSql, ColumnDef column, String tableName);

  /** Whether {@code querySql} returns at least one row, read in a fresh snapshot. */
  boolean anyRow(String querySql);

  /** Whether the table holds at least one row (in a fresh snapshot). */
  boolean hasRows(TableDef table);
}
