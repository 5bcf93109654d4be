package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-body ("slowloris") requests against a server process over real sockets: authenticated
 * requests that announce a body and send one byte of it must not stall the threads that serve
 * everyone else, and are refused once the read deadline passes.
 */
class SlowRequestIT {
  private static final int SLOW_REQUESTS_PER_PORT = 80;
  private static final int HTTP_THREADS = 16;
  private static final int READ_TIMEOUT_SECONDS = 8;

  @TempDir
  Path data;

  @Test
  void requestsThatTrickleTheirBodyStallNoWorkerAndAreRefusedAtTheDeadline() throws Exception {
    int jsonPort = ServerProcess.freePort();
    try (ServerProcess server = ServerProcess.start(data, "--json-port", Integer.toString(jsonPort),
        "--http-threads", Integer.toString(HTTP_THREADS),
        "--request-read-timeout-seconds", Integer.toString(READ_TIMEOUT_SECONDS))) {
      server.awaitPort(jsonPort, 30);
      Properties credentials = new Properties();
      credentials.setProperty("user", "admin");
      credentials.setProperty("password", ServerProcess.ADMIN_PASSWORD);
      // Warm up first (password check, first planning), so that the timing below measures only waiting for a thread.
      assertEquals(42, selectFortyTwo(server, credentials));
      List<Socket> slow = new ArrayList<>();
      try {
        // Far more slow requests than the server has threads, on both endpoints.
        for (int i = 0; i < SLOW_REQUESTS_PER_PORT; i++) {
          slow.add(startSlowRequest(server.port()));
          slow.add(startSlowRequest(jsonPort));
        }
        long started = System.nanoTime();
        assertEquals(42, selectFortyTwo(server, credentials));
        HttpResponse<String> json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + jsonPort + "/"))
            .header("Authorization", basicAdmin())
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"request\":\"openConnection\",\"connectionId\":\"slow-test-json\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, json.statusCode(), json.body());
        long servedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(servedMillis < READ_TIMEOUT_SECONDS * 1000L,
            "served only after " + servedMillis + " ms, when the slow requests timed out");

        // Each slow request is answered with a refusal once its deadline passes, and its connection closed.
        for (Socket socket : slow) {
          String answer = readAll(socket, Duration.ofSeconds(READ_TIMEOUT_SECONDS + 20));
          assertTrue(answer.startsWith("HTTP/1.1 500"), answer);
          assertTrue(answer.contains("08P01") || answer.contains("request body not received"), answer);
        }
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
    }
  }

  private static int selectFortyTwo(ServerProcess server, Properties credentials) throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url(), credentials);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }

  private static Socket startSlowRequest(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + basicAdmin()
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\nx")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static String basicAdmin() {
    return "Basic " + Base64.getEncoder().encodeToString(
        ("admin:" + ServerProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** What the server sends until it closes the connection. */
  private static String readAll(Socket socket, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    StringBuilder answer = new StringBuilder();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      answer.append("[no close within ").append(timeout).append(']');
    }
    return answer.toString();
  }
}
