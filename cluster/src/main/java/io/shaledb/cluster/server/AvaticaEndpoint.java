package io.shaledb.cluster.server;

import io.shaledb.common.SqlState;
import io.shaledb.sql.meta.ShaleMeta;
import io.shaledb.sql.security.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * The client endpoint: Avatica's wire protocol over HTTP POST, protobuf on the connector named
 * {@value #PROTOBUF_CONNECTOR} and JSON on {@value #JSON_CONNECTOR}, both served by one {@link
 * Service}. Before anything else a request passes the {@link RequestAuthenticator}; then its body
 * is read up to {@code maxRequestBytes} and no further, so a huge request costs no memory.
 *
 * <p>Refusals go out as Avatica {@code ErrorResponse}s with a SQLSTATE and HTTP status 500, the
 * status on which Avatica's clients read the body (they turn other statuses into bare errors).
 *
 * <p>Besides Avatica's messages the endpoint answers POST {@value #CANCEL_PATH} with body {@code
 * connectionId statementId}: Avatica's protocol has no way to cancel a running statement, so
 * ShaleDB's driver sends this on a separate HTTP request.
 */
final class AvaticaEndpoint extends AbstractHandler {
  static final String PROTOBUF_CONNECTOR = "protobuf";
  static final String JSON_CONNECTOR = "json";
  static final String CANCEL_PATH = "/shaledb/cancel";
  /**
   * Body bytes read and thrown away after refusing an oversized request, so that a client still
   * sending gets the refusal instead of a broken connection; past this the connection is closed.
   */
  static final long MAX_DRAIN_BYTES = 256L * 1024 * 1024;

  private final ProtobufHandler protobuf;
  private final JsonHandler json;
  private final ShaleMeta meta;
  private final RequestAuthenticator authenticator;
  private final RequestPrincipals principals;
  private final boolean tlsRequired;
  private final int maxRequestBytes;

  /**
   * @param principals where the authenticated user of each request is kept while it is served
   * @param tlsRequired whether requests that did not come over TLS are refused
   */
  AvaticaEndpoint(Service service, ShaleMeta meta, RequestAuthenticator authenticator, RequestPrincipals principals,
      boolean tlsRequired, int maxRequestBytes) {
    this.protobuf = new ProtobufHandler(service, new ProtobufTranslationImpl(), NoopMetricsSystem.getInstance());
    this.json = new JsonHandler(service, NoopMetricsSystem.getInstance());
    this.meta = meta;
    this.authenticator = authenticator;
    this.principals = principals;
    this.tlsRequired = tlsRequired;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Tells clients (in error responses) which server answered. */
  void setServerAddress(String address) {
    RpcMetadataResponse metadata = new RpcMetadataResponse(address);
    protobuf.setRpcMetadata(metadata);
    json.setRpcMetadata(metadata);
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    boolean isJson = JSON_CONNECTOR.equals(baseRequest.getHttpChannel().getConnector().getName());
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      send(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "text/plain;charset=utf-8",
          "ShaleDB speaks Avatica's protocol: POST requests only\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (tlsRequired && !request.isSecure()) {
      // Answered rather than dropped: Avatica's client retries a dropped connection forever.
      response.setHeader("Connection", "close");
      sendError(response, isJson, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, SqlState.INVALID_AUTHORIZATION,
          "this server accepts only HTTPS: connect with ssl=true (jdbc:shaledb://HOST:PORT?ssl=true)");
      return;
    }
    RequestAuthenticator.Decision decision =
        authenticator.authenticate(request.getHeader("Authorization"), request.getRemoteAddr());
    if (decision instanceof RequestAuthenticator.Rejected rejected) {
      response.setHeader("WWW-Authenticate", rejected.challenge());
      sendError(response, isJson, HttpServletResponse.SC_UNAUTHORIZED, SqlState.INVALID_AUTHORIZATION,
          rejected.message());
      return;
    }
    long declared = request.getContentLengthLong();
    byte[] body = declared > maxRequestBytes ? null : readAtMost(request.getInputStream(), maxRequestBytes);
    if (body == null) {
      boolean drained = drain(request.getInputStream());
      if (!drained) {
        response.setHeader("Connection", "close");
      }
      sendError(response, isJson, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, SqlState.PROGRAM_LIMIT_EXCEEDED,
          "request too large: the server accepts at most " + maxRequestBytes + " bytes per request "
              + "(max-request-bytes); send large data in several statements or batches");
      return;
    }
    Principal principal = new Principal(((RequestAuthenticator.Accepted) decision).user());
    if (CANCEL_PATH.equals(target)) {
      principals.runAs(principal, () -> {
        cancel(response, body);
        return null;
      });
      return;
    }
    HandlerResponse<?> result;
    String contentType;
    if (isJson) {
      result = principals.runAs(principal, () -> json.apply(new String(body, StandardCharsets.UTF_8)));
      contentType = "application/json;charset=utf-8";
    } else {
      result = principals.runAs(principal, () -> protobuf.apply(body));
      contentType = "application/octet-stream";
    }
    Object payload = result.getResponse();
    byte[] bytes = payload instanceof byte[] raw ? raw : ((String) payload).getBytes(StandardCharsets.UTF_8);
    send(response, result.getStatusCode(), contentType, bytes);
  }

  private void cancel(HttpServletResponse response, byte[] body) {
    try {
      cancelChecked(response, body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void cancelChecked(HttpServletResponse response, byte[] body) throws IOException {
    String[] parts = new String(body, StandardCharsets.UTF_8).trim().split("\\s+");
    int statementId;
    try {
      statementId = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      statementId = -1;
    }
    if (statementId < 0) {
      send(response, HttpServletResponse.SC_BAD_REQUEST, "text/plain;charset=utf-8",
          "expected: connectionId statementId\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    meta.cancel(parts[0], statementId);
    send(response, HttpServletResponse.SC_OK, "text/plain;charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
  }

  /** The whole stream if it has at most {@code limit} bytes, else null (the rest stays unread). */
  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] bytes = in.readNBytes(limit);
    if (bytes.length == limit && in.read() != -1) {
      return null;
    }
    return bytes;
  }

  /** Reads and discards the rest of the body; false if it was longer than {@link #MAX_DRAIN_BYTES}. */
  private static boolean drain(InputStream in) throws IOException {
    byte[] scratch = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(scratch)) != -1) {
      total += n;
      if (total > MAX_DRAIN_BYTES) {
        return false;
      }
    }
    return true;
  }

  private void sendError(HttpServletResponse response, boolean isJson, int status, SqlState state, String message)
      throws IOException {
    ErrorResponse error = new ErrorResponse(List.of(), message, ShaleMeta.vendorCode(state), state.code(),
        AvaticaSeverity.ERROR, null);
    if (isJson) {
      send(response, status, "application/json;charset=utf-8",
          JsonService.MAPPER.writeValueAsString(error).getBytes(StandardCharsets.UTF_8));
    } else {
      send(response, status, "application/octet-stream", new ProtobufTranslationImpl().serializeResponse(error));
    }
  }

  private static void send(HttpServletResponse response, int status, String contentType, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }
}
