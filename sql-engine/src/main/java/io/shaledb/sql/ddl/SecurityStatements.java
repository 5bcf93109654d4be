package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.TableDef;
import io.shaledb.sql.parser.ddl.ShaleAlterUser;
import io.shaledb.sql.parser.ddl.ShaleConstraint;
import io.shaledb.sql.parser.ddl.ShaleAnalyze;
import io.shaledb.sql.parser.ddl.ShaleCreateIndex;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleCreateUser;
import io.shaledb.sql.parser.ddl.ShaleDropIndex;
import io.shaledb.sql.parser.ddl.ShaleDropTable;
import io.shaledb.sql.parser.ddl.ShaleDropUser;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShalePrivilegeStatement;
import io.shaledb.sql.security.AccessControl;
import io.shaledb.sql.security.Principal;
import io.shaledb.sql.security.Privilege;
import io.shaledb.sql.security.TableAccess;
import io.shaledb.sql.security.UserStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlNode;

/**
 * Runs the user and privilege statements, and decides who may run the other DDL:
 *
 * <ul>
 *   <li>CREATE/ALTER/DROP USER, GRANT and REVOKE: the admin only;
 *   <li>CREATE TABLE: every user, with REFERENCES on every other table its foreign keys reference;
 *       the creator owns the table and holds every privilege on it;
 *   <li>DROP TABLE, CREATE INDEX, DROP INDEX: the admin and the table's owner;
 *   <li>any other DDL: the admin only, until a rule for it is written here.
 * </ul>
 */
public final class SecurityStatements {
  private final Catalog catalog;
  private final UserStore users;
  private final AccessControl accessControl;

  public SecurityStatements(Catalog catalog, UserStore users, AccessControl accessControl) {
    this.catalog = catalog;
    this.users = users;
    this.accessControl = accessControl;
  }

  /** Whether {@code statement} is a user or privilege statement, run by {@link #execute}. */
  public static boolean handles(SqlNode statement) {
    return statement instanceof ShaleCreateUser || statement instanceof ShaleAlterUser
        || statement instanceof ShaleDropUser || statement instanceof ShalePrivilegeStatement;
  }

  /** Runs a statement {@link #handles} accepts, on behalf of {@code principal}. */
  public void execute(Principal principal, SqlNode statement) {
    if (statement instanceof ShaleCreateUser create) {
      AccessControl.checkAdmin(principal, "create users");
      users.createUser(create.userName(), create.password());
    } else if (statement instanceof ShaleAlterUser alter) {
      AccessControl.checkAdmin(principal, "change passwords");
      users.setPassword(alter.userName(), alter.password());
    } else if (statement instanceof ShaleDropUser drop) {
      AccessControl.checkAdmin(principal, "drop users");
      if (drop.ifExists() && !users.exists(drop.userName())) {
        return;
      }
      users.dropUser(drop.userName());
    } else if (statement instanceof ShalePrivilegeStatement change) {
      boolean grant = change.action() == ShalePrivilegeStatement.Action.GRANT;
      AccessControl.checkAdmin(principal, grant ? "grant privileges" : "revoke privileges");
      String name = DdlExecutor.tableName(change.table());
      TableDef table = catalog.table(name).orElseThrow(() -> new ShaleException(SqlState.UNDEFINED_TABLE,
          "table \"" + name + "\" does not exist"));
      Set<Privilege> privileges = privileges(change);
      if (grant) {
        users.grant(change.grantee(), table.tableId(), privileges);
      } else {
        users.revoke(change.grantee(), table.tableId(), privileges);
      }
    } else {
      throw new IllegalArgumentException("not a security statement: " + statement.getKind());
    }
  }

  /**
   * Checks that {@code principal} may run DDL {@code statement} (not one {@link #handles} accepts)
   * and returns what to do once it succeeded.
   */
  public Runnable authorize(Principal principal, SqlNode statement) {
    if (statement instanceof ShaleCreateTable create) {
      String name = DdlExecutor.tableName(create.name());
      if (principal.isAdmin() || catalog.table(name).isPresent()) {
        return () -> {};
      }
      checkReferences(principal, name, create);
      // Not atomic with the catalog change: after a crash in between, the admin can GRANT.
      return () -> catalog.table(name).ifPresent(table -> users.grantOwnership(principal.name(), table.tableId()));
    }
    if (statement instanceof ShaleDropTable drop) {
      Optional<TableDef> table = catalog.table(DdlExecutor.tableName(drop.name()));
      if (table.isEmpty()) {
        // The DDL executor reports the missing table (or ignores it for IF EXISTS).
        return () -> {};
      }
      accessControl.checkOwner(principal, table.get().tableId(), table.get().name(), "drop");
      return () -> users.forgetTable(table.get().tableId());
    }
    if (statement instanceof ShaleCreateIndex create) {
      catalog.table(DdlExecutor.tableName(create.table())).ifPresent(table ->
          accessControl.checkOwner(principal, table.tableId(), table.name(), "index"));
      return () -> {};
    }
    if (statement instanceof ShaleDropIndex drop) {
      catalog.tableOfIndex(DdlExecutor.tableName(drop.name())).ifPresent(table ->
          accessControl.checkOwner(principal, table.tableId(), table.name(), "drop an index of"));
      return () -> {};
    }
    if (statement instanceof ShaleAnalyze analyze && analyze.table() != null) {
      // As in PostgreSQL: the owner may analyze a table; every table at once is the admin's.
      catalog.table(DdlExecutor.tableName(analyze.table())).ifPresent(table ->
          accessControl.checkOwner(principal, table.tableId(), table.name(), "analyze"));
      return () -> {};
    }
    String what = statement instanceof org.apache.calcite.sql.SqlCall call ? call.getOperator().getName()
        : statement.getKind().toString();
    AccessControl.checkAdmin(principal, "run " + what);
    return () -> {};
  }

  /**
   * A foreign key lets its owner learn which keys the referenced table holds (from which inserts
   * fail with 23503) and block deletes and DROP there, so it needs REFERENCES on that table, as in
   * PostgreSQL. A table referencing itself is the creator's own.
   */
  private void checkReferences(Principal principal, String tableName, ShaleCreateTable create) {
    List<TableAccess> required = new ArrayList<>();
    for (ShaleConstraint constraint : create.allConstraints()) {
      if (constraint instanceof ShaleForeignKeyConstraint foreignKey) {
        String referenced = DdlExecutor.tableName(foreignKey.referencedTable());
        if (!referenced.equals(tableName)) {
          // A missing table is reported by the DDL executor (42P01).
          catalog.table(referenced).ifPresent(table ->
              required.add(new TableAccess(table.tableId(), table.name(), Privilege.REFERENCES)));
        }
      }
    }
    accessControl.check(principal, required);
  }

  private static Set<Privilege> privileges(ShalePrivilegeStatement statement) {
    Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
    for (ShalePrivilegeStatement.Privilege written : statement.privileges()) {
      switch (written) {
        case ALL -> privileges.addAll(EnumSet.allOf(Privilege.class));
        case SELECT -> privileges.add(Privilege.SELECT);
        case INSERT -> privileges.add(Privilege.INSERT);
        case UPDATE -> privileges.add(Privilege.UPDATE);
        case DELETE -> privileges.add(Privilege.DELETE);
        case REFERENCES -> privileges.add(Privilege.REFERENCES);
        case TRUNCATE -> privileges.add(Privilege.TRUNCATE);
      }
    }
    return privileges;
  }
}
