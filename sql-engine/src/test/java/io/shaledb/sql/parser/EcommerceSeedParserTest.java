package io.shaledb.sql.parser;

import static io.shaledb.sql.parser.ParserTestSupport.assertRoundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration.Generation;
import io.shaledb.sql.parser.ddl.ShaleColumnDeclaration.Nullability;
import io.shaledb.sql.parser.ddl.ShaleCreateTable;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleForeignKeyConstraint.ReferentialAction;
import io.shaledb.sql.parser.ddl.ShalePrimaryKeyConstraint;
import io.shaledb.sql.parser.ddl.ShaleTransactionControl;
import io.shaledb.sql.parser.ddl.ShaleTransactionControl.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The e-commerce seed (shared/fixtures/ecommerce-seed.sql) must parse exactly as written. The
 * three CREATE TABLE statements are copied here verbatim so the grammar stays covered in a
 * checkout without shared/; the whole file is parsed when it is there.
 */
class EcommerceSeedParserTest {

  private static final String SEED_FIXTURE = "shared/fixtures/ecommerce-seed.sql";

  private static final String CREATE_USERS = "CREATE TABLE IF NOT EXISTS users (id INT "
      + "AUTO_INCREMENT PRIMARY KEY, username VARCHAR(20) NOT NULL, password VARCHAR(20) NOT "
      + "NULL, email VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL);";
  private static final String CREATE_PRODUCTS = "CREATE TABLE IF NOT EXISTS products (id INT "
      + "AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, price DECIMAL(10,2) NOT NULL, "
      + "description TEXT, created_at TIMESTAMP NOT NULL);";
  private static final String CREATE_ORDERS = "CREATE TABLE IF NOT EXISTS orders (id INT "
      + "AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL, product_id INT NOT NULL, quantity INT "
      + "NOT NULL, created_at TIMESTAMP NOT NULL, FOREIGN KEY (user_id) REFERENCES users (id), "
      + "FOREIGN KEY (product_id) REFERENCES products (id));";

  @Test
  void seedTablesParseAsWritten() {
    SqlNodeList statements =
        ShaleSqlParser.parseScript(CREATE_USERS + "\n" + CREATE_PRODUCTS + "\n" + CREATE_ORDERS);

    assertEquals(3, statements.size());
    assertSeedTables(statements.getList());
  }

  @Test
  void seedTablesRoundTrip() {
    for (String create : List.of(CREATE_USERS, CREATE_PRODUCTS, CREATE_ORDERS)) {
      assertRoundTrip(create.substring(0, create.length() - 1));
    }
  }

  @Test
  void wholeSeedFileParses() throws IOException {
    Optional<Path> fixture = findSeedFixture();
    Assumptions.assumeTrue(fixture.isPresent(),
        () -> SEED_FIXTURE + " not found above " + Path.of("").toAbsolutePath()
            + "; the copied CREATE TABLE statements are still tested");

    String script = Files.readString(fixture.get());
    List<SqlNode> statements = ShaleSqlParser.parseScript(script).getList();

    assertTrue(script.contains(CREATE_USERS) && script.contains(CREATE_PRODUCTS)
        && script.contains(CREATE_ORDERS), "the copies in this test match the fixture");
    assertSeedTables(statements.subList(0, 3));
    List<Object> shape = new ArrayList<>();
    for (SqlNode statement : statements.subList(3, statements.size())) {
      shape.add(statement instanceof ShaleTransactionControl control
          ? control.kind()
          : statement.getKind());
    }
    assertEquals(List.of(SqlKind.INSERT, SqlKind.INSERT, SqlKind.INSERT, Kind.BEGIN,
        SqlKind.INSERT, SqlKind.INSERT, Kind.COMMIT, Kind.BEGIN, SqlKind.UPDATE, Kind.ROLLBACK),
        shape);
  }

  /** Looks for the fixture from the working directory (the module, under Maven) upwards. */
  private static Optional<Path> findSeedFixture() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SEED_FIXTURE);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void assertSeedTables(List<SqlNode> statements) {
    ShaleCreateTable users = assertInstanceOf(ShaleCreateTable.class, statements.get(0));
    ShaleCreateTable products = assertInstanceOf(ShaleCreateTable.class, statements.get(1));
    ShaleCreateTable orders = assertInstanceOf(ShaleCreateTable.class, statements.get(2));

    for (ShaleCreateTable table : List.of(users, products, orders)) {
      assertTrue(table.ifNotExists());
      assertNull(table.shardCount());
      ShaleColumnDeclaration id = table.columns().get(0);
      assertEquals("id", id.simpleName());
      assertEquals(Generation.AUTO_INCREMENT, id.generation());
      assertEquals(Nullability.UNSPECIFIED, id.nullability());
      ShalePrimaryKeyConstraint pk =
          assertInstanceOf(ShalePrimaryKeyConstraint.class, table.allConstraints().get(0));
      assertEquals(List.of("id"), pk.columnNames());
      assertTrue(pk.isInline());
    }
    assertEquals(List.of("id", "username", "password", "email", "created_at"), names(users));
    assertEquals(List.of("id", "name", "price", "description", "created_at"), names(products));
    assertEquals(List.of("id", "user_id", "product_id", "quantity", "created_at"), names(orders));

    ShaleColumnDeclaration username = users.columns().get(1);
    assertEquals(Nullability.NOT_NULL, username.nullability());
    SqlBasicTypeNameSpec varchar =
        assertInstanceOf(SqlBasicTypeNameSpec.class, username.dataType().getTypeNameSpec());
    assertEquals(SqlTypeName.VARCHAR, ParserTestSupport.sqlTypeName(varchar));
    assertEquals(20, varchar.getPrecision());

    SqlBasicTypeNameSpec price = assertInstanceOf(SqlBasicTypeNameSpec.class,
        products.columns().get(2).dataType().getTypeNameSpec());
    assertEquals(SqlTypeName.DECIMAL, ParserTestSupport.sqlTypeName(price));
    assertEquals(10, price.getPrecision());
    assertEquals(2, price.getScale());
    ShaleColumnDeclaration description = products.columns().get(3);
    assertEquals(Nullability.UNSPECIFIED, description.nullability());
    assertInstanceOf(SqlAlienSystemTypeNameSpec.class, description.dataType().getTypeNameSpec());

    assertEquals(2, orders.tableConstraints().size());
    ShaleForeignKeyConstraint toUsers =
        assertInstanceOf(ShaleForeignKeyConstraint.class, orders.tableConstraints().get(0));
    assertEquals(List.of("user_id"), toUsers.columnNames());
    assertEquals("users", toUsers.referencedTable().getSimple());
    assertEquals(List.of("id"), toUsers.referencedColumnNames());
    assertEquals(ReferentialAction.NO_ACTION, toUsers.onDelete());
    ShaleForeignKeyConstraint toProducts =
        assertInstanceOf(ShaleForeignKeyConstraint.class, orders.tableConstraints().get(1));
    assertEquals(List.of("product_id"), toProducts.columnNames());
    assertEquals("products", toProducts.referencedTable().getSimple());
    assertEquals(3, orders.allConstraints().size());
  }

  private static List<String> names(ShaleCreateTable table) {
    return table.columns().stream().map(ShaleColumnDeclaration::simpleName).toList();
  }
}
