package io.shaledb.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.calcite.avatica.Meta;

/**
 * Cancels statements on a ShaleDB server through its cancel endpoint ({@code POST
 * /shaledb/cancel}, body {@code connectionId statementId}), on a fresh HTTP connection so that it
 * does not wait behind the running statement's request.
 */
final class RemoteCanceller implements StatementCanceller {
  static final String PATH = "/shaledb/cancel";
  private static final int TIMEOUT_MILLIS = 10_000;

  private final URI endpoint;
  private final String authorization;
  private final SSLSocketFactory tls;

  /**
   * @param authorization the {@code Authorization} header to send, or null
   * @param tls the sockets for an https endpoint, or null for the JVM's defaults
   */
  RemoteCanceller(String baseUrl, String authorization, SSLSocketFactory tls) {
    this.endpoint = URI.create(baseUrl + PATH);
    this.authorization = authorization;
    this.tls = tls;
  }

  /**
   * Sockets that trust the certificates in {@code truststore} (as Avatica's HTTP client does for
   * the other requests), or null to use the JVM's trust store when none is given.
   */
  static SSLSocketFactory socketFactory(String truststore, String password)
      throws IOException, GeneralSecurityException {
    if (truststore == null || truststore.isEmpty()) {
      return null;
    }
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(Path.of(truststore))) {
      trusted.load(in, password == null ? null : password.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  static String basicAuthorization(String user, String password) {
    if (user == null || password == null) {
      return null;
    }
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "Basic " + token;
  }

  @Override
  public void cancel(Meta.StatementHandle statement) {
    try {
      HttpURLConnection http = (HttpURLConnection) endpoint.toURL().openConnection();
      if (tls != null && http instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls);
      }
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setConnectTimeout(TIMEOUT_MILLIS);
      http.setReadTimeout(TIMEOUT_MILLIS);
      if (authorization != null) {
        http.setRequestProperty("Authorization", authorization);
      }
      byte[] body = (statement.connectionId + " " + statement.id).getBytes(StandardCharsets.UTF_8);
      http.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = http.getOutputStream()) {
        out.write(body);
      }
      int status = http.getResponseCode();
      try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      if (status != HttpURLConnection.HTTP_OK) {
        throw new IllegalStateException("server refused to cancel (HTTP " + status + ")");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the server to cancel: " + e.getMessage(), e);
    }
  }
}
