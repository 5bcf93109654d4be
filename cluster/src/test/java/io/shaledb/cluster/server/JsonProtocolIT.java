package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python program that knows only the standard library speaks Avatica's JSON protocol to a server
 * started with {@code --json-port}: tables, parameterized inserts in a transaction, commit, a join
 * fetched in frames, parameter types, and errors with their SQLSTATE.
 */
class JsonProtocolIT {
  private static final Path SCRIPT = Path.of("src", "test", "python", "avatica_json_client.py");

  @TempDir
  Path data;

  @Test
  void pythonStandardLibraryClient() throws Exception {
    assumeTrue(python3Available(), "python3 is not on the PATH; the Avatica JSON client test needs it");
    assertTrue(Files.exists(SCRIPT), "missing " + SCRIPT.toAbsolutePath());
    int jsonPort = ServerProcess.freePort();
    try (ServerProcess server = ServerProcess.start(data, "--json-port", Integer.toString(jsonPort))) {
      server.awaitPort(jsonPort, 30);
      ProcessBuilder client = new ProcessBuilder("python3", SCRIPT.toString(), "http://127.0.0.1:" + jsonPort + "/")
          .redirectErrorStream(true);
      client.environment().put("SHALEDB_USER", "admin");
      client.environment().put("SHALEDB_PASSWORD", ServerProcess.ADMIN_PASSWORD);
      Process python = client.start();
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(python.waitFor(120, TimeUnit.SECONDS), "python client hung:\n" + output);
      assertEquals(0, python.exitValue(), output + "\nserver output:\n" + server.output());
      assertTrue(output.contains("all checks passed"), output);
      server.terminate();
    }
  }

  private static boolean python3Available() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
