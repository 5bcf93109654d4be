package io.shaledb.cluster.rpc;

import java.util.Objects;

/**
 * Where a peer's RPC listener is: {@code host:port}. Equal addresses share connections in an
 * {@link RpcClient}, so a node should be named the same way everywhere (e.g. always by its
 * advertised host name, not sometimes by IP).
 *
 * @param host a host name or IP literal (IPv6 literals without brackets)
 * @param port 1..65535
 */
public record PeerAddress(String host, int port) {

  public PeerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("peer host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("peer port must be 1..65535, got " + port);
    }
  }

  /**
   * Parses {@code host:port}, {@code [ipv6]:port} or {@code ipv6:port} (the last colon separates the
   * port).
   *
   * @throws IllegalArgumentException when there is no port or it is not a number in range
   */
  public static PeerAddress parse(String hostColonPort) {
    Objects.requireNonNull(hostColonPort, "hostColonPort");
    String text = hostColonPort.strip();
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + hostColonPort + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + hostColonPort + "'", e);
    }
    return new PeerAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
