package io.shaledb.cluster.server;

import static io.shaledb.cluster.server.PhoenixdbWire.bool;
import static io.shaledb.cluster.server.PhoenixdbWire.metadata;
import static io.shaledb.cluster.server.PhoenixdbWire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Common.MetaDataOperation;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.proto.Responses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protobuf requests Python's phoenixdb sends for {@code meta().get_primary_keys()} and {@code
 * get_index_info()} (which SQLAlchemy's inspector calls for keys and indexes): a
 * SyncResultsRequest whose QueryState is of type METADATA, then a FetchRequest. Runs everywhere;
 * {@code src/test/python/phoenixdb_client.py} sends the same through phoenixdb itself where it is
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoenixdbMetadataIT {
  private static final String PASSWORD = "secret-pw";

  @TempDir
  static Path data;
  private ShaleServer server;

  @BeforeAll
  void start() throws Exception {
    server = ShaleServer.start(new ServerConfig("127.0.0.1", 0, -1, data, 50, 1 << 20, Duration.ofMinutes(5), 8)
        .withAdminPassword(PASSWORD), Clock.systemUTC());
    Properties admin = new Properties();
    admin.setProperty("user", "admin");
    admin.setProperty("password", PASSWORD);
    try (Connection c = DriverManager.getConnection("jdbc:shaledb://127.0.0.1:" + server.port(), admin);
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, email TEXT UNIQUE)");
      s.execute("CREATE TABLE order_items (order_id INT, line INT, qty INT, PRIMARY KEY (order_id, line))");
      s.execute("CREATE INDEX customers_by_name ON customers (name DESC)");
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private PhoenixdbWire connect() throws Exception {
    PhoenixdbWire wire = new PhoenixdbWire(server.port(), "admin", PASSWORD);
    wire.open();
    return wire;
  }

  @Test
  void primaryKeysInKeyOrder() throws Exception {
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    Responses.SyncResultsResponse sync = wire.syncResults(statement,
        metadata(MetaDataOperation.GET_PRIMARY_KEYS, text(null), text("public"), text("order_items")));
    assertTrue(sync.getMoreResults(), "phoenixdb returns [] when more_results is false");
    List<List<Object>> rows = rows(wire.fetch(statement, 0));
    // TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ, PK_NAME: what phoenixdb's signature reads.
    assertEquals(List.of(
        List.of("public", "order_items", "order_id", 1L, "order_items_pkey"),
        List.of("public", "order_items", "line", 2L, "order_items_pkey")),
        rows.stream().map(row -> row.subList(1, 6)).sorted((a, b) -> Long.compare((Long) a.get(3), (Long) b.get(3)))
            .toList());
    assertTrue(wire.fetch(statement, rows.size()).getDone());
  }

  @Test
  void indexInfoListsPrimaryKeyUniqueAndSecondaryIndexes() throws Exception {
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    assertTrue(wire.syncResults(statement, metadata(MetaDataOperation.GET_INDEX_INFO, text(null), text(null),
        text("customers"), bool(false), bool(false))).getMoreResults());
    List<String> indexes = new ArrayList<>();
    for (List<Object> row : rows(wire.fetch(statement, 0))) {
      // NON_UNIQUE (a bool, as phoenixdb's signature says), INDEX_NAME, COLUMN_NAME, ASC_OR_DESC
      indexes.add(row.get(3) + " " + row.get(5) + " " + row.get(8) + " " + row.get(9));
    }
    assertTrue(indexes.contains("false customers_pkey id A"), indexes.toString());
    assertTrue(indexes.contains("true customers_by_name name D"), indexes.toString());
    assertTrue(indexes.stream().anyMatch(index -> index.startsWith("false ") && index.endsWith(" email A")),
        indexes.toString());

    assertTrue(wire.syncResults(statement, metadata(MetaDataOperation.GET_INDEX_INFO, text(null), text(null),
        text("customers"), bool(true), bool(false))).getMoreResults());
    for (List<Object> row : rows(wire.fetch(statement, 0))) {
      assertEquals(false, row.get(3), "unique=true lists unique indexes only: " + row);
    }
  }

  @Test
  void theOtherMetadataOperationsAnswerTooAndAnUnknownTableHasNoRows() throws Exception {
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    assertTrue(wire.syncResults(statement, metadata(MetaDataOperation.GET_TABLES, text(null), text("public"),
        text("cust%"), Common.MetaDataOperationArgument.newBuilder()
            .setType(Common.MetaDataOperationArgument.ArgumentType.REPEATED_STRING).addStringArrayValues("TABLE")
            .build())).getMoreResults());
    assertEquals(List.of("customers"), rows(wire.fetch(statement, 0)).stream().map(row -> row.get(2)).toList());

    assertTrue(wire.syncResults(statement, metadata(MetaDataOperation.GET_COLUMNS, text(null), text(null),
        text("order_items"), text("%"))).getMoreResults());
    assertEquals(List.of("order_id", "line", "qty"),
        rows(wire.fetch(statement, 0)).stream().map(row -> row.get(3)).toList());

    assertFalse(wire.syncResults(statement, metadata(MetaDataOperation.GET_PRIMARY_KEYS, text(null), text(null),
        text("no_such_table"))).getMoreResults());
  }

  @Test
  void anOperationShaleDbDoesNotServeIsRefusedWithItsSqlState() throws Exception {
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    PhoenixdbWire.Reply reply = wire.send(Requests.SyncResultsRequest.newBuilder().setConnectionId(wire.connectionId)
        .setStatementId(statement).setState(metadata(MetaDataOperation.GET_UDTS, text(null), text(null), text(null)))
        .build());
    Responses.ErrorResponse error = reply.as(Responses.ErrorResponse.class);
    assertEquals("0A000", error.getSqlState(), error.toString());
  }

  @Test
  void aQueryStateOfTypeSqlReRunsTheQueryFromTheOffset() throws Exception {
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    wire.execute(statement, "INSERT INTO order_items VALUES (1, 1, 5), (1, 2, 6), (2, 1, 7)");
    assertTrue(wire.syncResults(statement, Common.QueryState.newBuilder().setType(Common.StateType.SQL).setHasSql(true)
        .setSql("SELECT qty FROM order_items ORDER BY qty").build()).getMoreResults());
    assertEquals(List.of(List.of(5L), List.of(6L), List.of(7L)), rows(wire.fetch(statement, 0)));
    Requests.SyncResultsRequest fromOffset = Requests.SyncResultsRequest.newBuilder()
        .setConnectionId(wire.connectionId).setStatementId(statement).setOffset(2).setState(Common.QueryState
            .newBuilder().setType(Common.StateType.SQL).setHasSql(true).setSql("SELECT qty FROM order_items ORDER BY qty")
            .build()).build();
    assertTrue(wire.send(fromOffset).as(Responses.SyncResultsResponse.class).getMoreResults());
    assertEquals(List.of(List.of(7L)), rows(wire.fetch(statement, 2)));
    wire.send(Requests.RollbackRequest.newBuilder().setConnectionId(wire.connectionId).build());
  }

  @Test
  void withoutCredentialsTheServerAnswers401() throws Exception {
    PhoenixdbWire anonymous = new PhoenixdbWire(server.port(), null, null);
    assertEquals(401, anonymous.send(Requests.OpenConnectionRequest.newBuilder()
        .setConnectionId(anonymous.connectionId).build()).status());
  }

  /**
   * README.md's phoenixdb example, request by request as phoenixdb 1.2 sends it: BASIC credentials,
   * {@code execute} as PrepareAndExecute, {@code executemany} as Prepare + ExecuteBatch and a
   * parameterized {@code execute} as Prepare + Execute, each parameter typed from the server's
   * signature the way phoenixdb's {@code types.py} maps JDBC types (Python's 1.50 for a DECIMAL is
   * sent as the string "1.5"), then a duplicate key that phoenixdb turns into IntegrityError by its
   * SQLSTATE class 23.
   */
  @Test
  void theReadmePythonExampleAsPhoenixdbSendsIt() throws Exception {
    // The replay below is the README's example: same credentials, same statements.
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher block = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL).matcher(readme);
    String example = null;
    while (block.find() && example == null) {
      example = block.group(1).contains("phoenixdb.connect(") ? block.group(1) : null;
    }
    assertTrue(example != null, "README.md has no phoenixdb example");
    for (String sent : List.of("\"http://localhost:8765/\", authentication=\"BASIC\", avatica_user=\"admin\"",
        "avatica_password=\"" + PASSWORD + "\"",
        "\"CREATE TABLE IF NOT EXISTS item (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))\"",
        "executemany(\"INSERT INTO item VALUES (?, ?, ?)\", [(1, \"pen\", 1.50), (2, \"book\", 12.00)])",
        "\"SELECT name, price FROM item WHERE price * ? > ? ORDER BY id\", (2, 10))",
        "\"INSERT INTO item VALUES (1, 'dup', 0)\"", "except phoenixdb.IntegrityError")) {
      assertTrue(example.contains(sent), "the README example no longer has " + sent + ":\n" + example);
    }
    PhoenixdbWire wire = connect();
    int statement = wire.createStatement();
    wire.execute(statement, "DROP TABLE IF EXISTS item"); // the Python test may have run the example already
    wire.execute(statement, "CREATE TABLE IF NOT EXISTS item (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))");

    Responses.PrepareResponse insert = wire.send(Requests.PrepareRequest.newBuilder().setConnectionId(wire.connectionId)
        .setSql("INSERT INTO item VALUES (?, ?, ?)").setMaxRowsTotal(0).build()).as(Responses.PrepareResponse.class);
    Common.StatementHandle insertHandle = insert.getStatement();
    Requests.ExecuteBatchRequest.Builder batch = Requests.ExecuteBatchRequest.newBuilder()
        .setConnectionId(wire.connectionId).setStatementId(insertHandle.getId());
    for (Object[] row : new Object[][] {{1, "pen", 1.50}, {2, "book", 12.00}}) {
      batch.addUpdates(Requests.UpdateBatch.newBuilder().addAllParameterValues(
          PhoenixdbWire.parameters(insertHandle.getSignature(), row)));
    }
    Responses.ExecuteBatchResponse inserted = wire.send(batch.build()).as(Responses.ExecuteBatchResponse.class);
    assertEquals(List.of(1L, 1L), inserted.getUpdateCountsList());
    wire.send(Requests.CommitRequest.newBuilder().setConnectionId(wire.connectionId).build())
        .as(Responses.CommitResponse.class);

    Responses.PrepareResponse select = wire.send(Requests.PrepareRequest.newBuilder().setConnectionId(wire.connectionId)
        .setSql("SELECT name, price FROM item WHERE price * ? > ? ORDER BY id").setMaxRowsTotal(-1).build())
        .as(Responses.PrepareResponse.class);
    Responses.ExecuteResponse result = wire.send(Requests.ExecuteRequest.newBuilder()
        .setStatementHandle(select.getStatement()).setHasParameterValues(true).setFirstFrameMaxSize(100)
        .addAllParameterValues(PhoenixdbWire.parameters(select.getStatement().getSignature(), new Object[] {2, 10}))
        .build()).as(Responses.ExecuteResponse.class);
    Common.Frame frame = result.getResults(0).getFirstFrame();
    assertEquals(List.of("book"), rows(frame).stream().map(row -> row.get(0)).toList());
    assertEquals("12.00", frame.getRows(0).getValue(1).getScalarValue().getStringValue());

    Responses.ErrorResponse duplicate = wire.send(Requests.PrepareAndExecuteRequest.newBuilder()
        .setConnectionId(wire.connectionId).setStatementId(statement).setSql("INSERT INTO item VALUES (1, 'dup', 0)")
        .setMaxRowsTotal(-1).build()).as(Responses.ErrorResponse.class);
    assertEquals("23505", duplicate.getSqlState(), duplicate.toString());
    wire.send(Requests.RollbackRequest.newBuilder().setConnectionId(wire.connectionId).build());
    wire.execute(wire.createStatement(), "DROP TABLE item");
  }

  /**
   * phoenixdb itself, where Python has it: runs README.md's example as written (pointed at this
   * server) and reads keys and indexes through {@code meta()} and SQLAlchemy's inspector.
   */
  @Test
  void phoenixdbItselfWhereInstalled() throws Exception {
    assumeTrue(pythonCanImport("phoenixdb"), "skipped: python3 has no phoenixdb (Debian does not package it; "
        + "pip install phoenixdb to run it). The other tests of this class send phoenixdb's requests from Java.");
    Process python = new ProcessBuilder("python3", Path.of("src", "test", "python", "phoenixdb_client.py").toString(),
        "http://127.0.0.1:" + server.port() + "/", Path.of("..", "README.md").toString()).redirectErrorStream(true)
        .start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(120, TimeUnit.SECONDS), "python client hung:\n" + output);
    assertEquals(0, python.exitValue(), output);
    assertTrue(output.contains("all checks passed"), output);
  }

  private static boolean pythonCanImport(String module) throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("python3", "-c", "import " + module).redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A frame's rows as Java values: strings, longs (every integer), booleans, nulls. */
  private static List<List<Object>> rows(Common.Frame frame) {
    List<List<Object>> rows = new ArrayList<>();
    for (Common.Row row : frame.getRowsList()) {
      List<Object> values = new ArrayList<>();
      for (Common.ColumnValue column : row.getValueList()) {
        Common.TypedValue value = column.getScalarValue();
        values.add(switch (value.getType()) {
          case NULL -> null;
          case STRING -> value.getStringValue();
          case BOOLEAN, PRIMITIVE_BOOLEAN -> value.getBoolValue();
          case BYTE, SHORT, INTEGER, LONG, PRIMITIVE_BYTE, PRIMITIVE_SHORT, PRIMITIVE_INT, PRIMITIVE_LONG ->
              value.getNumberValue();
          default -> value.getType() + ":" + value;
        });
      }
      rows.add(values);
    }
    return rows;
  }
}
