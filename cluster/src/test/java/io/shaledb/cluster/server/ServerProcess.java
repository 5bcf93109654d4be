package io.shaledb.cluster.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A ShaleDB server running as a child JVM ({@code shaledb start}), for process-level tests. */
final class ServerProcess implements AutoCloseable {
  /** The admin password every test server gets at its first start, unless a test says otherwise. */
  static final String ADMIN_PASSWORD = "process-test-admin";

  private final Process process;
  private final int port;
  private final StringBuffer output = new StringBuffer();

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread drain = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) != -1) {
          output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        output.append("[output lost: ").append(e).append(']');
      }
    }, "server-output");
    drain.setDaemon(true);
    drain.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts {@code shaledb start --host 127.0.0.1 --port PORT --data DATA extraArgs...} without waiting. */
  static ServerProcess launch(Path data, int port, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--data",
        data.toString()));
    args.addAll(List.of(extraArgs));
    return launchWith(port, args);
  }

  /**
   * Starts {@code shaledb start ARGS --admin-password ADMIN_PASSWORD} (unless ARGS sets the admin
   * password) without waiting; {@code port} is where it is expected to listen.
   */
  static ServerProcess launchWith(int port, List<String> args) throws IOException {
    List<String> withPassword = new ArrayList<>(args);
    if (!args.contains("--admin-password")) {
      withPassword.addAll(List.of("--admin-password", ADMIN_PASSWORD));
    }
    return launchExactly(port, withPassword);
  }

  /** Starts {@code shaledb start ARGS} without waiting, exactly as given. */
  static ServerProcess launchExactly(int port, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "io.shaledb.cluster.cli.Main", "start"));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ServerProcess(process, port);
  }

  /** Starts a server and waits until it accepts connections. */
  static ServerProcess start(Path data, String... extraArgs) throws IOException, InterruptedException {
    ServerProcess server = launch(data, freePort(), extraArgs);
    server.awaitPort(server.port, 60);
    return server;
  }

  void awaitPort(int port, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + output);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server did not listen on " + port + " within " + seconds + " s:\n" + output);
  }

  /**
   * Waits until the output contains {@code text}; returns the output. The server prints its
   * "listening" line after the port opens (and after Jetty's log lines), so a test that reads the
   * output as soon as the port accepts connections may not see it yet; output of a process that
   * just exited may still be on its way through the pipe.
   */
  String awaitOutput(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output.toString().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return output.toString();
  }

  int port() {
    return port;
  }

  String url() {
    return "jdbc:shaledb://127.0.0.1:" + port;
  }

  String output() {
    return output.toString();
  }

  Process process() {
    return process;
  }

  /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server ignored SIGTERM for 30 s:\n" + output);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
