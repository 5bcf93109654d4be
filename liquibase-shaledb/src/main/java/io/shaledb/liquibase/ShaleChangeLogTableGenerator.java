package io.shaledb.liquibase;

import liquibase.database.Database;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.CreateDatabaseChangeLogTableGenerator;
import liquibase.statement.core.CreateDatabaseChangeLogTableStatement;
import liquibase.structure.core.Table;

/**
 * Liquibase's changelog table for ShaleDB: Liquibase's own columns, with the primary key ShaleDB
 * needs on (ID, AUTHOR, FILENAME), the columns that identify a changeset.
 */
public class ShaleChangeLogTableGenerator extends CreateDatabaseChangeLogTableGenerator {

  @Override
  public int getPriority() {
    return PRIORITY_DATABASE;
  }

  @Override
  public boolean supports(CreateDatabaseChangeLogTableStatement statement, Database database) {
    return database instanceof ShaleLiquibaseDatabase;
  }

  @Override
  public Sql[] generateSql(CreateDatabaseChangeLogTableStatement statement, Database database,
      SqlGeneratorChain sqlGeneratorChain) {
    String table = database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
        database.getDatabaseChangeLogTableName());
    String sql = "CREATE TABLE " + table + " ("
        + "ID VARCHAR(" + getIdColumnSize() + ") NOT NULL, "
        + "AUTHOR VARCHAR(" + getAuthorColumnSize() + ") NOT NULL, "
        + "FILENAME VARCHAR(" + getFilenameColumnSize() + ") NOT NULL, "
        + "DATEEXECUTED TIMESTAMP NOT NULL, "
        + "ORDEREXECUTED INT NOT NULL, "
        + "EXECTYPE VARCHAR(10) NOT NULL, "
        + "MD5SUM VARCHAR(35), "
        + "DESCRIPTION VARCHAR(255), "
        + "COMMENTS VARCHAR(255), "
        + "TAG VARCHAR(255), "
        + "LIQUIBASE VARCHAR(20), "
        + "CONTEXTS VARCHAR(" + getContextsSize() + "), "
        + "LABELS VARCHAR(" + getLabelsSize() + "), "
        + "DEPLOYMENT_ID VARCHAR(10), "
        + "PRIMARY KEY (ID, AUTHOR, FILENAME))";
    return new Sql[] {new UnparsedSql(sql, new Table().setName(database.getDatabaseChangeLogTableName()))};
  }
}
