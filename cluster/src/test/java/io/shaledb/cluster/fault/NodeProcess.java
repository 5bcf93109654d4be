package io.shaledb.cluster.fault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster node as a child JVM ({@code shaledb start --node-id N ...}), started again with the
 * same flags, address and data directory after it is killed. Its output is appended to {@code
 * node-N.log} beside the data directory, across restarts, so a failure can show what every run of
 * the node said. The node's clock runs ahead by what {@link #setClockOffsetMillis} last wrote
 * ({@code --test-clock-offset-file}). Not thread-safe: one thread (the test or its nemesis) drives it.
 */
public final class NodeProcess implements AutoCloseable {
  private static final int START_SECONDS_MAX = 120;

  private final int nodeId;
  private final String host;
  private final List<String> launcher;
  private final Path clockOffsetFile;
  private final int sqlPort;
  private final int rpcPort;
  private final int raftPort;
  private final Path dataDirectory;
  private final Path log;
  private final List<String> flags;
  private Process process;
  private boolean paused;
  private int starts;

  /**
   * @param host the address the node listens on and is reached at, SQL and RPC
   * @param launcher what the java command line is prefixed with (e.g. {@code ip netns exec NS}), or empty
   * @param join RPC address ({@code host:port}) of a member to join, or null for node 1
   */
  NodeProcess(int nodeId, String host, List<String> launcher, int sqlPort, int rpcPort, int raftPort,
      Path dataDirectory, String join, String clusterSecret, String adminPassword) {
    this.nodeId = nodeId;
    this.host = host;
    this.launcher = List.copyOf(launcher);
    this.clockOffsetFile = dataDirectory.resolveSibling("node-" + nodeId + ".clock-offset");
    this.sqlPort = sqlPort;
    this.rpcPort = rpcPort;
    this.raftPort = raftPort;
    this.dataDirectory = dataDirectory;
    this.log = dataDirectory.resolveSibling("node-" + nodeId + ".log");
    List<String> args = new ArrayList<>(List.of("--node-id", Integer.toString(nodeId), "--host", host,
        "--port", Integer.toString(sqlPort), "--rpc-port", Integer.toString(rpcPort),
        "--raft-port", Integer.toString(raftPort), "--data", dataDirectory.toString(),
        "--cluster-secret", clusterSecret, "--admin-password", adminPassword,
        "--test-clock-offset-file", clockOffsetFile.toString()));
    if (join != null) {
      args.addAll(List.of("--join", join));
    }
    this.flags = List.copyOf(args);
  }

  public int nodeId() {
    return nodeId;
  }

  int sqlPort() {
    return sqlPort;
  }

  int rpcPort() {
    return rpcPort;
  }

  public int raftPort() {
    return raftPort;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public String url() {
    return "jdbc:shaledb://" + host + ":" + sqlPort;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public boolean isPaused() {
    return paused && isAlive();
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
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.shaledb.cluster.cli.Main", "start"));
    command.addAll(flags);
    Files.writeString(log, "==== start " + (starts + 1) + " of node " + nodeId + " ====\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    paused = false;
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
        socket.connect(new InetSocketAddress(host, sqlPort), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("node " + nodeId + " did not serve on " + sqlPort + " within " + START_SECONDS_MAX
        + " s:\n" + logTail());
  }

  public void start() throws IOException, InterruptedException {
    launch();
    awaitServing();
  }

  /** SIGKILL: the JVM gets no chance to finish anything (also when it is paused). */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + nodeId + " survived SIGKILL for 30 s");
      }
    }
  }

  /** SIGTERM, then waits for the shutdown hook to close the node. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      try {
        resume();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node " + nodeId + " ignored SIGTERM for 60 s:\n" + logTail());
      }
    }
  }

  /**
   * SIGSTOP: every thread of the JVM stops at once, sockets stay open and nothing is answered, as
   * in a long GC pause or a VM that was frozen.
   */
  public void pause() throws IOException, InterruptedException {
    if (!isAlive()) {
      throw new IllegalStateException("node " + nodeId + " is not running");
    }
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause}; nothing if the node is not paused. */
  public void resume() throws IOException, InterruptedException {
    if (paused && isAlive()) {
      signal("CONT");
    }
    paused = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
    }
  }

  /**
   * Makes the node's wall clock run {@code offsetMillis} ahead (negative: behind) of the machine's,
   * whether it runs now (it notices within about 100 ms) or starts later.
   */
  public void setClockOffsetMillis(long offsetMillis) throws IOException {
    Path next = clockOffsetFile.resolveSibling(clockOffsetFile.getFileName() + ".next");
    Files.writeString(next, Long.toString(offsetMillis), StandardCharsets.UTF_8);
    Files.move(next, clockOffsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The last lines the node printed, over all its runs. */
  public String logTail() {
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
