package io.shaledb.cluster.server;

import io.shaledb.common.SqlState;
import io.shaledb.sql.meta.ShaleMeta;
import io.shaledb.sql.security.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
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
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The client endpoint: Avatica's wire protocol over HTTP POST, protobuf on the connector named
 * {@value #PROTOBUF_CONNECTOR} and JSON on {@value #JSON_CONNECTOR}, both served by one {@link
 * Service}. Before anything else a request passes the {@link RequestAuthenticator}; then its body
 * is read as it arrives, without a thread waiting for it, up to {@code maxRequestBytes} (a larger
 * one is discarded as it comes, so it costs no memory) and within {@code requestReadTimeout}.
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
  private final Duration requestReadTimeout;
  private static final System.Logger LOG = System.getLogger(AvaticaEndpoint.class.getName());

  /**
   * @param principals where the authenticated user of each request is kept while it is served
   * @param tlsRequired whether requests that did not come over TLS are refused
   */
  AvaticaEndpoint(Service service, ShaleMeta meta, RequestAuthenticator authenticator, RequestPrincipals principals,
      boolean tlsRequired, int maxRequestBytes, Duration requestReadTimeout) {
    this.protobuf = new ProtobufHandler(service, new ProtobufTranslationImpl(), NoopMetricsSystem.getInstance());
    this.json = new JsonHandler(service, NoopMetricsSystem.getInstance());
    this.meta = meta;
    this.authenticator = authenticator;
    this.principals = principals;
    this.tlsRequired = tlsRequired;
    this.maxRequestBytes = maxRequestBytes;
    this.requestReadTimeout = requestReadTimeout;
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
    Principal principal = new Principal(((RequestAuthenticator.Accepted) decision).user());
    // The body is read as it arrives, without a thread waiting for it: a client that announces a
    // body and trickles it (or never sends it) holds a socket and a buffer, not one of the threads
    // every other request needs, and is refused once the read deadline passes.
    AsyncContext async = baseRequest.startAsync();
    async.setTimeout(0);
    BodyRead read = new BodyRead(target, isJson, principal, async, response, request.getInputStream(),
        request.getContentLengthLong() > maxRequestBytes);
    read.deadline = baseRequest.getHttpChannel().getConnector().getScheduler()
        .schedule(read::expire, requestReadTimeout.toMillis(), TimeUnit.MILLISECONDS);
    request.getInputStream().setReadListener(read);
  }

  /**
   * One request's body, read without blocking. Whichever comes first, the end of the body or the
   * read deadline, answers the request; the other then does nothing.
   */
  private final class BodyRead implements ReadListener {
    private final String target;
    private final boolean isJson;
    private final Principal principal;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletInputStream in;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final byte[] scratch = new byte[16 * 1024];
    private ByteArrayOutputStream body;
    private long discarded;
    volatile Scheduler.Task deadline;

    BodyRead(String target, boolean isJson, Principal principal, AsyncContext async, HttpServletResponse response,
        ServletInputStream in, boolean tooLarge) {
      this.target = target;
      this.isJson = isJson;
      this.principal = principal;
      this.async = async;
      this.response = response;
      this.in = in;
      this.body = tooLarge ? null : new ByteArrayOutputStream();
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!answered.get() && in.isReady()) {
        int n = in.read(scratch);
        if (n < 0) {
          return;
        }
        if (body != null && body.size() + n <= maxRequestBytes) {
          body.write(scratch, 0, n);
        } else {
          body = null;
          discarded += n;
          if (discarded > MAX_DRAIN_BYTES && answered.compareAndSet(false, true)) {
            finish(() -> refuseTooLarge(false));
            return;
          }
        }
      }
    }

    @Override
    public void onAllDataRead() {
      if (answered.compareAndSet(false, true)) {
        finish(() -> {
          if (body == null) {
            refuseTooLarge(true);
          } else {
            serve(target, isJson, principal, response, body.toByteArray());
          }
        });
      }
    }

    @Override
    public void onError(Throwable error) {
      // The client went away or broke the request; there is nobody to answer.
      if (answered.compareAndSet(false, true)) {
        deadline.cancel();
        async.complete();
      }
    }

    /** The read deadline passed before the body arrived: refuse the request and close the connection. */
    void expire() {
      if (answered.compareAndSet(false, true)) {
        finish(() -> {
          response.setHeader("Connection", "close");
          sendError(response, isJson, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, SqlState.PROTOCOL_VIOLATION,
              "request body not received within " + requestReadTimeout.toSeconds() + " s "
                  + "(request-read-timeout-seconds)");
        });
      }
    }

    private void refuseTooLarge(boolean drained) throws IOException {
      if (!drained) {
        response.setHeader("Connection", "close");
      }
      sendError(response, isJson, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, SqlState.PROGRAM_LIMIT_EXCEEDED,
          "request too large: the server accepts at most " + maxRequestBytes + " bytes per request "
              + "(max-request-bytes); send large data in several statements or batches");
    }

    private void finish(IoStep answer) {
      Scheduler.Task task = deadline;
      if (task != null) {
        task.cancel();
      }
      try {
        answer.run();
      } catch (IOException | RuntimeException e) {
        // The client is gone, or answering failed: the connection is closed below either way.
        LOG.log(System.Logger.Level.DEBUG, "cannot answer a request", e);
        response.setHeader("Connection", "close");
      } finally {
        async.complete();
      }
    }
  }

  private interface IoStep {
    void run() throws IOException;
  }

  /** Answers an authenticated request whose whole body has arrived. */
  private void serve(String target, boolean isJson, Principal principal, HttpServletResponse response, byte[] body)
      throws IOException {
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
    if (result.getStatusCode() != HttpServletResponse.SC_OK) {
      bytes = withoutStackTraces(isJson, principal, bytes);
    }
    send(response, result.getStatusCode(), contentType, bytes);
  }

  /**
   * Avatica puts the server's stack traces into every error response; they tell a client about the
   * server's code and versions and help no application. They go to the server's log instead (at
   * WARNING for internal errors, XX000, else DEBUG) and the client gets the SQLSTATE and message.
   */
  private static byte[] withoutStackTraces(boolean isJson, Principal principal, byte[] encoded) throws IOException {
    Service.Response decoded = isJson ? JsonService.MAPPER.readValue(encoded, Service.Response.class)
        : new ProtobufTranslationImpl().parseResponse(encoded);
    if (!(decoded instanceof ErrorResponse error) || error.exceptions == null || error.exceptions.isEmpty()) {
      return encoded;
    }
    boolean internal = SqlState.INTERNAL_ERROR.code().equals(error.sqlState);
    LOG.log(internal ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, () -> "request of user \""
        + principal.name() + "\" failed with " + error.sqlState + ": " + error.errorMessage + "\n"
        + String.join("\n", error.exceptions));
    ErrorResponse bare = new ErrorResponse(List.of(), error.errorMessage, error.errorCode, error.sqlState,
        error.severity, error.rpcMetadata);
    return isJson ? JsonService.MAPPER.writeValueAsBytes(bare) : new ProtobufTranslationImpl().serializeResponse(bare);
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
