package io.shaledb.cluster.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.apache.calcite.avatica.proto.Responses;

/**
 * Sends Avatica protobuf requests the way Python's phoenixdb does (its {@code avatica/client.py}):
 * each request wrapped in a {@code WireMessage} named after its Java class, POSTed to {@code /},
 * with HTTP BASIC credentials when phoenixdb is given {@code authentication="BASIC"}. Lets a Java
 * test check the exact requests phoenixdb sends, on machines without Python's packages.
 */
final class PhoenixdbWire {
  private static final String REQUESTS = "org.apache.calcite.avatica.proto.Requests$";
  private static final String RESPONSES = "org.apache.calcite.avatica.proto.Responses$";

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI uri;
  private final String authorization;
  final String connectionId = UUID.randomUUID().toString();

  /** @param user null to send no credentials */
  PhoenixdbWire(int port, String user, String password) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** An HTTP reply: its status and the response message it carries. */
  record Reply(int status, String name, byte[] body) {
    <T extends Message> T as(Class<T> type) throws InvalidProtocolBufferException {
      if (!name.equals(RESPONSES + type.getSimpleName())) {
        String detail = name.endsWith("ErrorResponse") ? ": " + Responses.ErrorResponse.parseFrom(body) : "";
        throw new AssertionError("expected " + type.getSimpleName() + ", got " + name + " (HTTP " + status + ")"
            + detail);
      }
      try {
        return type.cast(type.getMethod("parseFrom", byte[].class).invoke(null, (Object) body));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  Reply send(Message request) throws IOException, InterruptedException {
    byte[] wire = Common.WireMessage.newBuilder().setName(REQUESTS + request.getClass().getSimpleName())
        .setWrappedMessage(request.toByteString()).build().toByteArray();
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(wire));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 401) {
      return new Reply(401, "", response.body());
    }
    Common.WireMessage message = Common.WireMessage.parseFrom(response.body());
    return new Reply(response.statusCode(), message.getName(), message.getWrappedMessage().toByteArray());
  }

  /** phoenixdb's {@code connect()}: opens the connection, then syncs its properties. */
  void open() throws IOException, InterruptedException {
    send(Requests.OpenConnectionRequest.newBuilder().setConnectionId(connectionId).build())
        .as(Responses.OpenConnectionResponse.class);
    // phoenixdb's defaults: autoCommit false, isolation 0 (NONE), empty catalog and schema.
    send(Requests.ConnectionSyncRequest.newBuilder().setConnectionId(connectionId).setConnProps(
        Common.ConnectionProperties.newBuilder().setHasAutoCommit(true).setAutoCommit(false).setHasReadOnly(true)
            .setReadOnly(false).setTransactionIsolation(0).setCatalog("").setSchema("").build()).build())
        .as(Responses.ConnectionSyncResponse.class);
  }

  int createStatement() throws IOException, InterruptedException {
    return send(Requests.CreateStatementRequest.newBuilder().setConnectionId(connectionId).build())
        .as(Responses.CreateStatementResponse.class).getStatementId();
  }

  /** phoenixdb's {@code cursor.execute(sql)} without parameters: one PrepareAndExecuteRequest. */
  Responses.ExecuteResponse execute(int statementId, String sql) throws IOException, InterruptedException {
    return send(Requests.PrepareAndExecuteRequest.newBuilder().setConnectionId(connectionId)
        .setStatementId(statementId).setSql(sql).setMaxRowsTotal(-1).setFirstFrameMaxSize(100).build())
        .as(Responses.ExecuteResponse.class);
  }

  Responses.SyncResultsResponse syncResults(int statementId, Common.QueryState state)
      throws IOException, InterruptedException {
    return send(Requests.SyncResultsRequest.newBuilder().setConnectionId(connectionId).setStatementId(statementId)
        .setState(state).build()).as(Responses.SyncResultsResponse.class);
  }

  Common.Frame fetch(int statementId, long offset) throws IOException, InterruptedException {
    return send(Requests.FetchRequest.newBuilder().setConnectionId(connectionId).setStatementId(statementId)
        .setOffset(offset).setFrameMaxSize(2000).build()).as(Responses.FetchResponse.class).getFrame();
  }

  /**
   * Parameter values as phoenixdb's {@code cursor._transform_parameters} builds them: each typed by
   * the JDBC type the server declared for its placeholder (phoenixdb's {@code JDBC_TO_REP}).
   */
  static List<Common.TypedValue> parameters(Common.Signature signature, Object[] values) {
    List<Common.TypedValue> typed = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      Common.TypedValue.Builder v = Common.TypedValue.newBuilder();
      if (value == null) {
        typed.add(v.setNull(true).setType(Common.Rep.NULL).build());
        continue;
      }
      int jdbcType = signature.getParameters(i).getParameterType();
      switch (jdbcType) {
        case Types.TINYINT -> v.setType(Common.Rep.BYTE).setNumberValue(((Number) value).longValue());
        case Types.SMALLINT -> v.setType(Common.Rep.SHORT).setNumberValue(((Number) value).longValue());
        case Types.INTEGER -> v.setType(Common.Rep.INTEGER).setNumberValue(((Number) value).longValue());
        case Types.BIGINT -> v.setType(Common.Rep.LONG).setNumberValue(((Number) value).longValue());
        case Types.FLOAT, Types.DOUBLE, Types.REAL ->
            v.setType(Common.Rep.DOUBLE).setDoubleValue(((Number) value).doubleValue());
        // Python's str() of the value: str(1.50) is "1.5", str(12.00) is "12.0", str(2) is "2".
        case Types.DECIMAL, Types.NUMERIC -> v.setType(Common.Rep.BIG_DECIMAL).setStringValue(String.valueOf(value));
        case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR -> v.setType(Common.Rep.STRING)
            .setStringValue((String) value);
        case Types.BOOLEAN -> v.setType(Common.Rep.BOOLEAN).setBoolValue((Boolean) value);
        default -> throw new AssertionError("phoenixdb has no mapping for JDBC type " + jdbcType);
      }
      typed.add(v.build());
    }
    return typed;
  }

  /** A METADATA query state as phoenixdb's {@code meta.py} builds it. */
  static Common.QueryState metadata(Common.MetaDataOperation operation, Common.MetaDataOperationArgument... args) {
    Common.QueryState.Builder state = Common.QueryState.newBuilder().setType(Common.StateType.METADATA)
        .setOp(operation).setHasOp(true).setHasArgs(true);
    for (Common.MetaDataOperationArgument arg : args) {
      state.addArgs(arg);
    }
    return state.build();
  }

  static Common.MetaDataOperationArgument text(String value) {
    Common.MetaDataOperationArgument.Builder arg = Common.MetaDataOperationArgument.newBuilder();
    return value == null ? arg.setType(Common.MetaDataOperationArgument.ArgumentType.NULL).build()
        : arg.setType(Common.MetaDataOperationArgument.ArgumentType.STRING).setStringValue(value).build();
  }

  static Common.MetaDataOperationArgument bool(boolean value) {
    return Common.MetaDataOperationArgument.newBuilder().setType(Common.MetaDataOperationArgument.ArgumentType.BOOL)
        .setBoolValue(value).build();
  }
}
