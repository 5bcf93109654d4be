package io.shaledb.cluster.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Privileges through the embedded JDBC driver. One in-memory database for the class (creating a
 * user costs a deliberately slow password hash); each test uses its own tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivilegeTest {
  private final String url = "jdbc:shaledb:mem:" + UUID.randomUUID();
  private Connection admin;
  private Statement adminStatement;
  private final List<Connection> opened = new ArrayList<>();

  @BeforeAll
  void createUsers() throws SQLException {
    admin = DriverManager.getConnection(url);
    adminStatement = admin.createStatement();
    adminStatement.execute("CREATE USER bob PASSWORD 'bob-pw'");
    adminStatement.execute("CREATE USER carol PASSWORD 'carol-pw'");
  }

  @AfterAll
  void closeAll() throws SQLException {
    for (Connection connection : opened) {
      connection.close();
    }
    admin.close();
  }

  private Statement as(String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    Connection connection = DriverManager.getConnection(url, properties);
    opened.add(connection);
    return connection.createStatement();
  }

  private Statement bob() throws SQLException {
    return as("bob", "bob-pw");
  }

  private void admin(String sql) throws SQLException {
    adminStatement.execute(sql);
  }

  private static void assertDenied(Executable action) {
    SQLException error = assertThrows(SQLException.class, action);
    assertEquals("42501", error.getSQLState(), error.getMessage());
  }

  private List<String> rows(Statement statement, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  @Test
  void selectNeedsTheGrantAndStopsWorkingAfterRevoke() throws SQLException {
    admin("CREATE TABLE s1 (id INT PRIMARY KEY, v VARCHAR(10))");
    admin("INSERT INTO s1 VALUES (1, 'one'), (2, 'two')");
    Statement bob = bob();
    assertDenied(() -> bob.executeQuery("SELECT * FROM s1"));
    assertDenied(() -> bob.executeQuery("SELECT v FROM s1 WHERE id = 1"));
    assertDenied(() -> bob.executeQuery("EXPLAIN PLAN FOR SELECT * FROM s1"));

    admin("GRANT SELECT ON TABLE s1 TO bob");
    assertEquals(List.of("1|one", "2|two"), rows(bob, "SELECT * FROM s1 ORDER BY id"));
    assertEquals(List.of("one"), rows(bob, "SELECT v FROM s1 WHERE id = 1"));

    admin("REVOKE SELECT ON s1 FROM bob");
    assertDenied(() -> bob.executeQuery("SELECT * FROM s1"));
    assertDenied(() -> bob.executeQuery("SELECT v FROM s1 WHERE id = 1"));
  }

  @Test
  void everyTableAQueryReadsNeedsSelect() throws SQLException {
    admin("CREATE TABLE pub (id INT PRIMARY KEY, secret_id INT)");
    admin("CREATE TABLE secret (id INT PRIMARY KEY, v VARCHAR(10))");
    admin("INSERT INTO pub VALUES (1, 1)");
    admin("INSERT INTO secret VALUES (1, 'hidden')");
    admin("GRANT SELECT ON pub TO bob");
    Statement bob = bob();
    assertEquals(List.of("1|1"), rows(bob, "SELECT * FROM pub"));
    assertDenied(() -> bob.executeQuery("SELECT p.id, s.v FROM pub p JOIN secret s ON p.secret_id = s.id"));
    assertDenied(() -> bob.executeQuery("SELECT id FROM pub WHERE secret_id IN (SELECT id FROM secret)"));
    assertDenied(() -> bob.executeQuery("SELECT id FROM pub WHERE EXISTS (SELECT 1 FROM secret WHERE v = 'hidden')"));
    assertDenied(() -> bob.executeQuery("SELECT (SELECT MAX(v) FROM secret) FROM pub"));
    assertDenied(() -> bob.executeQuery("WITH x AS (SELECT * FROM secret) SELECT * FROM x"));
    assertDenied(() -> bob.executeQuery("SELECT id FROM pub UNION SELECT id FROM secret"));
  }

  @Test
  void writesWithoutThePrivilegeChangeNothing() throws SQLException {
    admin("CREATE TABLE w1 (id INT PRIMARY KEY, v INT)");
    admin("CREATE TABLE w1_source (id INT PRIMARY KEY, v INT)");
    admin("INSERT INTO w1 VALUES (1, 10), (2, 20)");
    admin("INSERT INTO w1_source VALUES (7, 70)");
    admin("GRANT SELECT ON w1 TO bob");
    Statement bob = bob();
    assertDenied(() -> bob.executeUpdate("INSERT INTO w1 VALUES (3, 30)"));
    assertDenied(() -> bob.executeUpdate("INSERT INTO w1 SELECT id + 100, v FROM w1"));
    assertDenied(() -> bob.executeUpdate("UPDATE w1 SET v = 0"));
    assertDenied(() -> bob.executeUpdate("UPDATE w1 SET v = 0 WHERE id = 1"));
    assertDenied(() -> bob.executeUpdate("DELETE FROM w1"));
    assertDenied(() -> bob.executeUpdate("DELETE FROM w1 WHERE id = 2"));

    admin("GRANT INSERT ON w1 TO bob");
    assertDenied(() -> bob.executeUpdate("INSERT INTO w1 SELECT * FROM w1_source"));
    assertEquals(List.of("1|10", "2|20"), rows(adminStatement, "SELECT * FROM w1 ORDER BY id"));

    assertEquals(1, bob.executeUpdate("INSERT INTO w1 VALUES (3, 30)"));
    assertEquals(1, bob.executeUpdate("INSERT INTO w1 SELECT id + 100, v FROM w1 WHERE id = 3"));
    assertEquals(List.of("1|10", "2|20", "3|30", "103|30"), rows(adminStatement, "SELECT * FROM w1 ORDER BY id"));
  }

  @Test
  void updateAndDeleteThatReadColumnsAlsoNeedSelect() throws SQLException {
    admin("CREATE TABLE u1 (id INT PRIMARY KEY, v INT)");
    admin("INSERT INTO u1 VALUES (1, 10), (2, 20)");
    admin("GRANT UPDATE, DELETE ON u1 TO carol");
    Statement carol = as("carol", "carol-pw");
    assertEquals(2, carol.executeUpdate("UPDATE u1 SET v = 5"), "a constant SET without WHERE reads nothing");
    assertDenied(() -> carol.executeUpdate("UPDATE u1 SET v = v + 1"));
    assertDenied(() -> carol.executeUpdate("UPDATE u1 SET v = 1 WHERE id = 1"));
    assertDenied(() -> carol.executeUpdate("DELETE FROM u1 WHERE v > 0"));
    assertDenied(() -> carol.executeQuery("SELECT * FROM u1"));
    assertEquals(List.of("1|5", "2|5"), rows(adminStatement, "SELECT * FROM u1 ORDER BY id"));

    admin("GRANT SELECT ON u1 TO carol");
    assertEquals(1, carol.executeUpdate("UPDATE u1 SET v = v + 1 WHERE id = 1"));
    assertEquals(1, carol.executeUpdate("DELETE FROM u1 WHERE id = 2"));
    assertEquals(List.of("1|6"), rows(carol, "SELECT * FROM u1"));
    admin("REVOKE ALL PRIVILEGES ON u1 FROM carol");
    assertDenied(() -> carol.executeUpdate("DELETE FROM u1"));
  }

  @Test
  void aPreparedStatementIsCheckedAtEveryExecution() throws SQLException {
    admin("CREATE TABLE p1 (id INT PRIMARY KEY, v INT)");
    admin("INSERT INTO p1 VALUES (1, 10)");
    admin("GRANT SELECT ON p1 TO bob");
    Connection connection = bob().getConnection();
    try (PreparedStatement select = connection.prepareStatement("SELECT v FROM p1 WHERE id = ?")) {
      select.setInt(1, 1);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        assertEquals(10, rs.getInt(1));
      }
      admin("REVOKE SELECT ON p1 FROM bob");
      assertDenied(select::executeQuery);
    }
  }

  @Test
  void aDeniedStatementLeavesTheTransactionUsable() throws SQLException {
    admin("CREATE TABLE t1 (id INT PRIMARY KEY)");
    admin("CREATE TABLE t1_locked (id INT PRIMARY KEY)");
    admin("GRANT INSERT, SELECT ON t1 TO bob");
    Statement bob = bob();
    bob.getConnection().setAutoCommit(false);
    bob.executeUpdate("INSERT INTO t1 VALUES (1)");
    assertDenied(() -> bob.executeUpdate("INSERT INTO t1_locked VALUES (1)"));
    bob.executeUpdate("INSERT INTO t1 VALUES (2)");
    bob.getConnection().commit();
    assertEquals(List.of("1", "2"), rows(adminStatement, "SELECT id FROM t1 ORDER BY id"));
    assertEquals(List.of(), rows(adminStatement, "SELECT id FROM t1_locked"));
  }

  @Test
  void onlyTheAdminManagesUsersAndGrants() throws SQLException {
    admin("CREATE TABLE g1 (id INT PRIMARY KEY)");
    Statement bob = bob();
    assertDenied(() -> bob.execute("CREATE USER eve PASSWORD 'x'"));
    assertDenied(() -> bob.execute("ALTER USER carol PASSWORD 'x'"));
    assertDenied(() -> bob.execute("ALTER USER bob PASSWORD 'x'"));
    assertDenied(() -> bob.execute("DROP USER carol"));
    assertDenied(() -> bob.execute("GRANT SELECT ON g1 TO bob"));
    assertDenied(() -> bob.execute("REVOKE SELECT ON g1 FROM carol"));
    assertDenied(() -> bob.execute("DROP TABLE g1"));
    assertDenied(() -> bob.execute("CREATE INDEX g1_id ON g1 (id)"));
    as("carol", "carol-pw").executeQuery("SELECT 1").close();
    assertDenied(() -> bob.executeQuery("SELECT id FROM g1"));
  }

  @Test
  void theCreatorOfATableOwnsIt() throws SQLException {
    Statement bob = bob();
    bob.execute("CREATE TABLE bobs (id INT PRIMARY KEY, v INT)");
    assertEquals(1, bob.executeUpdate("INSERT INTO bobs VALUES (1, 1)"));
    assertEquals(1, bob.executeUpdate("UPDATE bobs SET v = v + 1 WHERE id = 1"));
    assertEquals(List.of("1|2"), rows(bob, "SELECT * FROM bobs"));
    bob.execute("CREATE INDEX bobs_v ON bobs (v)");
    Statement carol = as("carol", "carol-pw");
    assertDenied(() -> carol.executeQuery("SELECT * FROM bobs"));
    assertDenied(() -> carol.execute("DROP TABLE bobs"));
    assertDenied(() -> carol.execute("DROP INDEX bobs_v"));
    assertEquals(List.of("1|2"), rows(adminStatement, "SELECT * FROM bobs"));
    bob.execute("DROP TABLE bobs");

    // A new table of the same name belongs to whoever creates it; the old grants are gone.
    admin("CREATE TABLE bobs (id INT PRIMARY KEY)");
    assertDenied(() -> bob.executeQuery("SELECT * FROM bobs"));
  }

  @Test
  void grantChecksItsTableAndUser() throws SQLException {
    admin("CREATE TABLE gr (id INT PRIMARY KEY)");
    SQLException noTable = assertThrows(SQLException.class, () -> admin("GRANT SELECT ON missing TO bob"));
    assertEquals("42P01", noTable.getSQLState());
    SQLException noUser = assertThrows(SQLException.class, () -> admin("GRANT SELECT ON gr TO nobody"));
    assertEquals("42704", noUser.getSQLState());
    SQLException duplicate = assertThrows(SQLException.class, () -> admin("CREATE USER bob PASSWORD 'again'"));
    assertEquals("42710", duplicate.getSQLState());
  }

  @Test
  void connectingChecksThePasswordAndFollowsChanges() throws SQLException {
    admin("CREATE USER dave PASSWORD 'first'");
    as("dave", "first").executeQuery("SELECT 1").close();
    SQLException wrong = assertThrows(SQLException.class, () -> as("dave", "wrong"));
    assertEquals("28P01", wrong.getSQLState());
    SQLException unknown = assertThrows(SQLException.class, () -> as("nobody", "first"));
    assertEquals("28P01", unknown.getSQLState());

    admin("ALTER USER dave PASSWORD 'second'");
    assertEquals("28P01", assertThrows(SQLException.class, () -> as("dave", "first")).getSQLState());
    as("dave", "second").executeQuery("SELECT 1").close();

    admin("DROP USER dave");
    assertEquals("28P01", assertThrows(SQLException.class, () -> as("dave", "second")).getSQLState());
    admin("DROP USER IF EXISTS dave");
    assertEquals("42704", assertThrows(SQLException.class, () -> admin("DROP USER dave")).getSQLState());
  }

  @Test
  void aForeignKeyNeedsReferencesOnTheReferencedTable() throws SQLException {
    admin("CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(40) UNIQUE)");
    admin("INSERT INTO people VALUES (1, 'ann@example.com')");
    admin("GRANT SELECT ON people TO carol");
    Statement bob = bob();
    // Without REFERENCES, a foreign key would tell bob which keys and e-mail addresses exist.
    assertDenied(() -> bob.execute("CREATE TABLE probe1 (id INT PRIMARY KEY, pid INT REFERENCES people(id))"));
    assertDenied(() -> bob.execute("CREATE TABLE probe1 (id INT PRIMARY KEY, mail VARCHAR(40), "
        + "FOREIGN KEY (mail) REFERENCES people (email))"));
    assertEquals("42P01", assertThrows(SQLException.class, () -> bob.executeQuery("SELECT * FROM probe1")).getSQLState());
    // SELECT is not REFERENCES either.
    Statement carol = as("carol", "carol-pw");
    assertDenied(() -> carol.execute("CREATE TABLE probe2 (id INT PRIMARY KEY, pid INT REFERENCES people(id))"));

    admin("GRANT REFERENCES ON people TO bob");
    bob.execute("CREATE TABLE probe1 (id INT PRIMARY KEY, pid INT REFERENCES people(id))");
    assertEquals(1, bob.executeUpdate("INSERT INTO probe1 VALUES (1, 1)"));
    assertEquals("23503", assertThrows(SQLException.class,
        () -> bob.executeUpdate("INSERT INTO probe1 VALUES (2, 2)")).getSQLState());
    // A table may reference itself, and its owner's own tables, without a grant.
    bob.execute("CREATE TABLE tree1 (id INT PRIMARY KEY, parent INT REFERENCES tree1(id))");
    bob.execute("CREATE TABLE leaf1 (id INT PRIMARY KEY, tree INT REFERENCES tree1(id))");
    bob.execute("DROP TABLE leaf1");
    bob.execute("DROP TABLE tree1");
    bob.execute("DROP TABLE probe1");
  }

  @Test
  void truncateNeedsItsOwnPrivilege() throws SQLException {
    admin("CREATE TABLE tr1 (id INT PRIMARY KEY)");
    admin("INSERT INTO tr1 VALUES (1), (2)");
    admin("GRANT DELETE ON tr1 TO bob");
    Statement bob = bob();
    assertDenied(() -> bob.execute("TRUNCATE TABLE tr1"));
    assertEquals(List.of("2"), rows(adminStatement, "SELECT COUNT(*) FROM tr1"));

    admin("REVOKE DELETE ON tr1 FROM bob");
    admin("GRANT TRUNCATE ON tr1 TO bob");
    bob.execute("TRUNCATE TABLE tr1");
    assertEquals(List.of("0"), rows(adminStatement, "SELECT COUNT(*) FROM tr1"));
    // TRUNCATE is not a DELETE privilege.
    assertDenied(() -> bob.executeUpdate("DELETE FROM tr1"));
    // The owner holds it.
    bob.execute("CREATE TABLE tr2 (id INT PRIMARY KEY)");
    bob.execute("TRUNCATE tr2");
    bob.execute("DROP TABLE tr2");
  }

  @Test
  void metadataShowsOnlyWhatTheUserHoldsAPrivilegeOn() throws SQLException {
    admin("CREATE TABLE md_open (id INT PRIMARY KEY, v INT)");
    admin("CREATE TABLE md_hidden (id INT PRIMARY KEY, salary INT, md_open_id INT REFERENCES md_open(id))");
    admin("CREATE VIEW md_view AS SELECT id, salary FROM md_hidden WHERE salary > 100");
    admin("GRANT INSERT ON md_open TO carol");
    Statement carol = as("carol", "carol-pw");
    java.sql.DatabaseMetaData meta = carol.getConnection().getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, null, "%", null)) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("MD_")) {
          tables.add(name);
        }
      }
    }
    assertEquals(List.of("MD_OPEN"), tables);
    try (ResultSet rs = meta.getColumns(null, null, "%", null)) {
      while (rs.next()) {
        assertEquals(false, rs.getString("TABLE_NAME").equalsIgnoreCase("md_hidden"), "a hidden table's column");
      }
    }
    try (ResultSet rs = meta.getExportedKeys(null, null, "md_open")) {
      assertEquals(false, rs.next(), "a foreign key from a hidden table");
    }
    assertEquals(List.of("MD_OPEN"), rows(carol,
        "SELECT UPPER(table_name) FROM information_schema.tables WHERE UPPER(table_name) LIKE 'MD\\_%' ESCAPE '\\' ORDER BY 1"));
    assertEquals(List.of("ID", "V"), rows(carol, "SELECT UPPER(column_name) FROM information_schema.columns "
        + "WHERE UPPER(table_name) LIKE 'MD\\_%' ESCAPE '\\' ORDER BY 1"));
    assertEquals(List.of(), rows(carol, "SELECT view_definition FROM information_schema.views"));
    assertEquals(List.of(), rows(carol, "SELECT constraint_name FROM information_schema.referential_constraints"));

    // The admin sees everything, the view's SQL included.
    java.sql.DatabaseMetaData adminMeta = admin.getMetaData();
    List<String> all = new ArrayList<>();
    try (ResultSet rs = adminMeta.getTables(null, null, "%", null)) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("MD_")) {
          all.add(name);
        }
      }
    }
    assertEquals(List.of("MD_HIDDEN", "MD_OPEN", "MD_VIEW"), all.stream().sorted().toList());
    assertEquals(1, rows(adminStatement, "SELECT view_definition FROM information_schema.views "
        + "WHERE UPPER(table_name) = 'MD_VIEW'").size());
    admin("DROP VIEW md_view");
  }
}
