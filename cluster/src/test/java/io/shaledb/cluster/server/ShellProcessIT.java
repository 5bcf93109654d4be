package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code shaledb sql} and {@code shaledb start} as a person meets them, in real processes: what
 * they print, and how the shell is left.
 */
class ShellProcessIT {
  @TempDir
  Path directory;

  @Test
  void startPrintsOnlyWhereItListens() throws Exception {
    try (ServerProcess server = ServerProcess.start(directory.resolve("data"))) {
      String output = server.awaitOutput("ShaleDB listening", 30);
      List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
      assertEquals(1, lines.size(), "expected only the listening line:\n" + output);
      assertTrue(lines.get(0).startsWith("ShaleDB listening on 127.0.0.1:" + server.port()), output);
      server.terminate();
    }
  }

  @Test
  void sqlOnADirectoryAServerHoldsSaysSoInOneLine() throws Exception {
    Path data = directory.resolve("held");
    try (ServerProcess server = ServerProcess.start(data)) {
      Process shell = shell(List.of("sql", "--data", data.toString()));
      shell.getOutputStream().close();
      String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell did not exit:\n" + output);
      assertEquals(1, shell.exitValue(), output);
      List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
      assertEquals(1, lines.size(), "expected one line:\n" + output);
      assertTrue(lines.get(0).contains("is in use by a running ShaleDB server (process "), output);
      assertTrue(lines.get(0).contains("--url jdbc:shaledb://"), output);
      server.terminate();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"quit", "exit", "\\q", "QUIT;"})
  void theShellLeavesOnTheWordsPeopleType(String word) throws Exception {
    Process shell = shell(List.of("sql", "--data", directory.resolve("data").toString()));
    StringBuffer output = new StringBuffer();
    Thread drain = new Thread(() -> {
      try {
        output.append(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append(e);
      }
    });
    drain.start();
    OutputStream in = shell.getOutputStream();
    // Input stays open: the shell must leave because of the word, not because input ended.
    in.write(("SELECT 41 + 1 AS answer;\n" + word + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    boolean exited = shell.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      shell.destroyForcibly();
    }
    drain.join(10_000);
    assertTrue(exited, "'" + word + "' did not leave the shell:\n" + output);
    assertEquals(0, shell.exitValue(), output.toString());
    assertTrue(output.toString().contains("42"), output.toString());
    assertFalse(output.toString().contains("Error"), output.toString());
    in.close();
  }

  @Test
  void pipedStatementsWithCharactersOutsideTheBmpAreRun() throws Exception {
    Process shell = shell(List.of("sql", "--data", directory.resolve("data").toString()));
    try (OutputStream in = shell.getOutputStream()) {
      // U+1F600 is a surrogate pair in Java strings; 'a' + it must come back as one row.
      in.write("SELECT 'a\uD83D\uDE00' AS v;\nSELECT 2 AS two;\n".getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the shell did not exit:\n" + output);
    assertEquals(0, shell.exitValue(), output);
    assertTrue(output.contains("| a\uD83D\uDE00 |"), "the emoji row is missing:\n" + output);
    assertTrue(output.contains("| two |") && output.contains("| 2   |"), "the statement after it did not run:\n" + output);
    assertFalse(output.contains("Error"), output);
  }

  private static Process shell(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"), "io.shaledb.cluster.cli.Main"));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
