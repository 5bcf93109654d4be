package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static io.shaledb.sql.parser.ParserTestSupport.assertSyntaxError;
import static io.shaledb.sql.parser.ParserTestSupport.unparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleAlterUser;
import io.shaledb.sql.parser.ddl.ShaleCreateUser;
import io.shaledb.sql.parser.ddl.ShaleDropUser;
import io.shaledb.sql.parser.ddl.ShalePrivilegeStatement;
import io.shaledb.sql.parser.ddl.ShalePrivilegeStatement.Action;
import io.shaledb.sql.parser.ddl.ShalePrivilegeStatement.Privilege;
import java.util.List;
import org.apache.calcite.sql.SqlKind;
import org.junit.jupiter.api.Test;

class SecurityParserTest {

  @Test
  void createUserFoldsTheNameAndKeepsThePassword() {
    ShaleCreateUser create = assertInstanceOf(ShaleCreateUser.class,
        assertRoundTrip("CREATE USER Alice PASSWORD 'it''s secret'"));
    assertEquals("alice", create.userName());
    assertEquals("it's secret", create.password());
    assertTrue(create.getKind().belongsTo(SqlKind.DDL));
    assertEquals("CREATE USER \"alice\" PASSWORD 'it''s secret'", unparse(create));
    assertEquals("Bob", assertInstanceOf(ShaleCreateUser.class,
        assertRoundTrip("create user \"Bob\" password ''")).userName());
  }

  @Test
  void alterAndDropUser() {
    ShaleAlterUser alter = assertInstanceOf(ShaleAlterUser.class, assertRoundTrip("ALTER USER bob PASSWORD 'new'"));
    assertEquals("bob", alter.userName());
    assertEquals("new", alter.password());
    assertEquals(SqlKind.OTHER_DDL, alter.getKind());

    ShaleDropUser drop = assertInstanceOf(ShaleDropUser.class, assertRoundTrip("DROP USER bob"));
    assertFalse(drop.ifExists());
    assertEquals("bob", drop.userName());
    ShaleDropUser ifExists = assertInstanceOf(ShaleDropUser.class, assertRoundTrip("drop user if exists bob;"));
    assertTrue(ifExists.ifExists());
    assertEquals("DROP USER IF EXISTS \"bob\"", unparse(ifExists));
  }

  @Test
  void grantListsPrivilegesInOrder() {
    ShalePrivilegeStatement grant = assertInstanceOf(ShalePrivilegeStatement.class,
        assertRoundTrip("GRANT select, UPDATE ON orders TO bob"));
    assertEquals(Action.GRANT, grant.action());
    assertEquals(List.of(Privilege.SELECT, Privilege.UPDATE), grant.privileges());
    assertEquals(List.of("orders"), grant.table().names);
    assertEquals("bob", grant.grantee());
    assertEquals(SqlKind.OTHER_DDL, grant.getKind());
    assertEquals("GRANT SELECT, UPDATE ON TABLE \"orders\" TO \"bob\"", unparse(grant));

    ShalePrivilegeStatement all = assertInstanceOf(ShalePrivilegeStatement.class,
        assertRoundTrip("GRANT ALL ON TABLE public.orders TO bob"));
    assertEquals(List.of(Privilege.ALL), all.privileges());
    assertEquals(List.of("public", "orders"), all.table().names);
    assertEquals("GRANT ALL PRIVILEGES ON TABLE \"public\".\"orders\" TO \"bob\"", unparse(all));
    assertRoundTrip("GRANT ALL PRIVILEGES ON t TO u");
    assertRoundTrip("GRANT INSERT, DELETE, SELECT, UPDATE ON t TO u");
    ShalePrivilegeStatement newer = assertInstanceOf(ShalePrivilegeStatement.class,
        assertRoundTrip("GRANT REFERENCES, TRUNCATE ON t TO u"));
    assertEquals(List.of(Privilege.REFERENCES, Privilege.TRUNCATE), newer.privileges());
  }

  @Test
  void revoke() {
    ShalePrivilegeStatement revoke = assertInstanceOf(ShalePrivilegeStatement.class,
        assertRoundTrip("REVOKE DELETE ON TABLE t FROM \"Bob\""));
    assertEquals(Action.REVOKE, revoke.action());
    assertEquals(List.of(Privilege.DELETE), revoke.privileges());
    assertEquals("Bob", revoke.grantee());
    assertEquals("REVOKE DELETE ON TABLE \"t\" FROM \"Bob\"", unparse(revoke));
    assertRoundTrip("REVOKE ALL PRIVILEGES ON t FROM u");
  }

  @Test
  void passwordAndUserStayUsableWhereTheyWere() {
    assertRoundTrip("CREATE TABLE accounts (id INT PRIMARY KEY, password VARCHAR(100))");
    assertRoundTrip("SELECT password FROM accounts WHERE password = 'x'");
    assertRoundTrip("SELECT USER FROM accounts");
    assertRoundTrip("CREATE USER password PASSWORD 'password'");
  }

  @Test
  void malformedSecurityStatementsAreSyntaxErrors() {
    assertSyntaxError("CREATE USER bob");
    assertSyntaxError("CREATE USER bob PASSWORD secret");
    assertSyntaxError("CREATE USER a.b PASSWORD 'x'");
    assertSyntaxError("CREATE OR REPLACE USER bob PASSWORD 'x'");
    assertSyntaxError("ALTER USER bob");
    assertSyntaxError("DROP USER");
    assertSyntaxError("GRANT ON t TO bob");
    assertSyntaxError("GRANT SELECT ON t");
    assertSyntaxError("GRANT SELECT, SELECT ON t TO bob");
    assertSyntaxError("GRANT ALL, SELECT ON t TO bob");
    assertSyntaxError("GRANT EXECUTE ON t TO bob");
    assertSyntaxError("GRANT SELECT ON t FROM bob");
    assertSyntaxError("REVOKE SELECT ON t TO bob");
    assertSyntaxError("GRANT SELECT ON t TO bob, carol");
  }
}
