package io.shaledb.cluster.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster node as a child JVM ({@code shaledb start --node-id N ...}), started again with the
 * same flags, ports and data directory after it is killed. Its output is appended to {@code
 * node-N.log} beside the data directory, across restarts, so a failure can show what every run of
 * the node said. Not thread-safe: one thread (the test or its nemesis) drives it.
 */
final class NodeProcess implements AutoCloseable {
  private static final int START_SECONDS_MAX = 120;

  private final int nodeId;
  private final int sqlPort;
  private final int rpcPort;
  private final int raftPort;
  private final Path dataDirectory;
  private final Path log;
  private final List<String> flags;
  private Process process;
  private int starts;

  /**
   * @param join RPC address ({@code host:port}) of a member to join, or null for node 1
   */
  NodeProcess(int nodeId, int sqlPort, int rpcPort, int raftPort, Path dataDirectory, String join, String clusterSecret,
      String adminPassword) {
    this.nodeId = nodeId;
    this.sqlPort = sqlPort;
    this.rpcPort = rpcPort;
    this.raftPort = raftPort;
    this.dataDirectory = dataDirectory;
    this.log = dataDirectory.resolveSibling("node-" + nodeId + ".log");
    List<String> args = new ArrayList<>(List.of("--node-id", Integer.toString(nodeId), "--host", "127.0.0.1",
        "--port", Integer.toString(sqlPort), "--rpc-port", Integer.toString(rpcPort),
        "--raft-port", Integer.toString(raftPort), "--data", dataDirectory.toString(),
        "--cluster-secret", clusterSecret, "--admin-password", adminPassword));
    if (join != null) {
      args.addAll(List.of("--join", join));
    }
    this.flags = List.copyOf(args);
  }

  int nodeId() {
    return nodeId;
  }

  int sqlPort() {
    return sqlPort;
  }

  int rpcPort() {
    return rpcPort;
  }

  int raftPort() {
    return raftPort;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  String url() {
    return "jdbc:shaledb://127.0.0.1:" + sqlPort;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** How many times the node was started. */
  int starts() {
    return starts;
  }

  /** Starts the JVM without waiting for it to serve. */
  void launch() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException("node " + nodeId + " is running");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.shaledb.cluster.cli.Main", "start"));
    command.addAll(flags);
    Files.writeString(log, "==== start " + (starts + 1) + " of node " + nodeId + " ====\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    starts++;
  }

  /**
   * Waits until the SQL endpoint accepts connections; the server opens it only after the node
   * joined the cluster.
   */
  void awaitServing() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS_MAX);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + nodeId + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", sqlPort), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("node " + nodeId + " did not serve on " + sqlPort + " within " + START_SECONDS_MAX
        + " s:\n" + logTail());
  }

  void start() throws IOException, InterruptedException {
    launch();
    awaitServing();
  }

  /** SIGKILL: the JVM gets no chance to finish anything. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + nodeId + " survived SIGKILL for 30 s");
      }
    }
  }

  /** SIGTERM, then waits for the shutdown hook to close the node. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + nodeId + " ignored SIGTERM for 60 s:\n" + logTail());
      }
    }
  }

  /** The last lines the node printed, over all its runs. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "[no log: " + e + "]";
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
