package io.shaledb.cluster.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per node, each with one address on a bridge in the test's own
 * namespace, so every node has an address of its own (as on separate machines) and a link between
 * two nodes can be cut in one direction. Needs root and iproute2's {@code ip}; see {@link
 * #unavailableReason()}.
 *
 * <p>Why namespaces and not a TCP proxy per directed link: Raft (Apache Ratis) addresses each peer
 * by one address that every peer shares, so a proxy in front of B cannot tell A's traffic to B
 * from C's; with an address per node, A's packets to B can be dropped inside A's namespace alone.
 *
 * <p>A cut link drops silently: A's neighbour entry for B is replaced by a permanent one with a
 * MAC address no interface has, so A's frames to B vanish on the bridge while B's to A still
 * arrive (for TCP both directions of a connection then stall, as with a real one-way loss). This
 * needs nothing from the kernel beyond namespaces, veth and bridges; netem (delay, loss rates) is
 * not used because kernels such as this machine's are built without it.
 *
 * <p>Names carry a random id ({@code shaledb-ID-nN}, bridge {@code shbID}), so runs in parallel do
 * not collide; {@link #close} removes everything, also from a JVM shutdown hook.
 */
public final class NetworkNamespaces implements AutoCloseable {
  private static final String UNUSED_MAC_PREFIX = "02:5a:de:ad:00:";

  private final String id;
  private final String subnetPrefix;
  private final int nodes;
  private final boolean[][] blocked;
  private final Thread cleanup;
  private boolean closed;

  private NetworkNamespaces(String id, String subnetPrefix, int nodes) {
    this.id = id;
    this.subnetPrefix = subnetPrefix;
    this.nodes = nodes;
    this.blocked = new boolean[nodes + 1][nodes + 1];
    this.cleanup = new Thread(this::removeQuietly, "shaledb-netns-cleanup-" + id);
  }

  /**
   * Why namespaces cannot be used here (not root, no {@code ip}, no permission), or empty if they
   * can: tries to create and remove one.
   */
  public static Optional<String> unavailableReason() {
    String probe = "shaledb-probe-" + ProcessHandle.current().pid();
    try {
      Result added = run(List.of("ip", "netns", "add", probe));
      if (added.exitCode() != 0) {
        return Optional.of("cannot create a network namespace (needs root and iproute2): " + added.output().strip());
      }
      run(List.of("ip", "netns", "del", probe));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("iproute2's ip command is missing: " + e.getMessage());
    }
  }

  /**
   * Creates a bridge and {@code nodes} namespaces on a random unused 10.x.y.0/24: node N at
   * {@code 10.x.y.N}, the bridge (the test's side) at {@code .254}.
   */
  public static NetworkNamespaces create(int nodes, Random random) throws IOException {
    if (nodes < 1 || nodes > 200) {
      throw new IllegalArgumentException("nodes: " + nodes);
    }
    String used = run(List.of("ip", "-4", "addr")).output();
    String subnet;
    do {
      subnet = "10." + (100 + random.nextInt(100)) + "." + random.nextInt(256) + ".";
    } while (used.contains(subnet));
    String id = String.format("%06x", random.nextInt(1 << 24));
    NetworkNamespaces network = new NetworkNamespaces(id, subnet, nodes);
    Runtime.getRuntime().addShutdownHook(network.cleanup);
    try {
      network.build();
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  private void build() throws IOException {
    check("ip", "link", "add", bridge(), "type", "bridge");
    check("ip", "addr", "add", subnetPrefix + "254/24", "dev", bridge());
    check("ip", "link", "set", bridge(), "up");
    for (int node = 1; node <= nodes; node++) {
      check("ip", "netns", "add", namespace(node));
      check("ip", "link", "add", hostVeth(node), "type", "veth", "peer", "name", "eth0", "netns", namespace(node));
      check("ip", "link", "set", hostVeth(node), "master", bridge(), "up");
      check("ip", "-n", namespace(node), "addr", "add", address(node) + "/24", "dev", "eth0");
      check("ip", "-n", namespace(node), "link", "set", "eth0", "up");
      check("ip", "-n", namespace(node), "link", "set", "lo", "up");
    }
  }

  public int nodes() {
    return nodes;
  }

  /** Node {@code node}'s address, which it listens on and the others and the test reach it at. */
  public String address(int node) {
    checkNode(node);
    return subnetPrefix + node;
  }

  public String namespace(int node) {
    checkNode(node);
    return "shaledb-" + id + "-n" + node;
  }

  /** What a command line is prefixed with to run inside node {@code node}'s namespace. */
  public List<String> launcher(int node) {
    return List.of("ip", "netns", "exec", namespace(node));
  }

  /** Drops every packet {@code from} sends to {@code to}, silently; the other direction is untouched. */
  public synchronized void block(int from, int to) throws IOException {
    checkLink(from, to);
    check("ip", "-n", namespace(from), "neigh", "replace", address(to), "lladdr",
        UNUSED_MAC_PREFIX + String.format("%02x", to), "nud", "permanent", "dev", "eth0");
    blocked[from][to] = true;
  }

  /** Lets {@code from}'s packets reach {@code to} again. */
  public synchronized void heal(int from, int to) throws IOException {
    checkLink(from, to);
    if (blocked[from][to]) {
      check("ip", "-n", namespace(from), "neigh", "del", address(to), "dev", "eth0");
      blocked[from][to] = false;
    }
  }

  public synchronized boolean isBlocked(int from, int to) {
    checkLink(from, to);
    return blocked[from][to];
  }

  /** Heals every link. */
  public synchronized void healAll() throws IOException {
    for (int from = 1; from <= nodes; from++) {
      for (int to = 1; to <= nodes; to++) {
        if (from != to) {
          heal(from, to);
        }
      }
    }
  }

  /** Removes the namespaces and the bridge; processes still running in a namespace lose their network. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // The JVM is shutting down and runs the hook anyway.
    }
  }

  private void removeQuietly() {
    List<List<String>> commands = new ArrayList<>();
    for (int node = 1; node <= nodes; node++) {
      // Deleting one end of a veth pair deletes both; a namespace outlives its deletion while a
      // process still runs in it, its interfaces would not.
      commands.add(List.of("ip", "link", "del", hostVeth(node)));
      commands.add(List.of("ip", "netns", "del", namespace(node)));
    }
    commands.add(List.of("ip", "link", "del", bridge()));
    for (List<String> command : commands) {
      try {
        run(command);
      } catch (IOException e) {
        // Best effort: what is missing was never made.
      }
    }
  }

  private String bridge() {
    return "shb" + id;
  }

  private String hostVeth(int node) {
    return "shv" + id + "n" + node;
  }

  private void checkNode(int node) {
    if (node < 1 || node > nodes) {
      throw new IllegalArgumentException("no node " + node + " among " + nodes);
    }
  }

  private void checkLink(int from, int to) {
    checkNode(from);
    checkNode(to);
    if (from == to) {
      throw new IllegalArgumentException("a node's link to itself: " + from);
    }
  }

  private record Result(int exitCode, String output) {}

  private static void check(String... command) throws IOException {
    Result result = run(List.of(command));
    if (result.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
          + result.output().strip());
    }
  }

  private static Result run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    return new Result(process.exitValue(), output);
  }
}
