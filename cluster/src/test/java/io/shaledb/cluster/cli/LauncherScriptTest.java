package io.shaledb.cluster.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' rebuild rule ({@code scripts/build-if-stale.sh}, sourced by {@code shaledb} and
 * {@code shaledb-demo}), run by bash on a made-up project whose {@code mvnw} only records that it
 * ran: build on first use and when a main source, resource or POM is newer than the jar; not when
 * only tests or build output changed; a failed build shows its log's end and stops.
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("..", "scripts", "build-if-stale.sh").toAbsolutePath().normalize();

  @TempDir
  Path root;
  private Path jar;
  private Path lib;
  private Path source;

  @BeforeEach
  void project() throws IOException {
    jar = root.resolve("app/target/app.jar");
    lib = root.resolve("app/target/lib");
    source = root.resolve("app/src/main/java/App.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class App {}");
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    // The fake build: records its arguments and produces the jar and its library folder.
    Path mvnw = root.resolve("mvnw");
    Files.writeString(mvnw, "#!/usr/bin/env bash\necho \"$@\" >> \"$(dirname \"$0\")/builds\"\n"
        + "[[ -f \"$(dirname \"$0\")/fail\" ]] && { echo 'COMPILATION ERROR: App.java'; exit 1; }\n"
        + "mkdir -p app/target/lib && touch app/target/app.jar\n");
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Run(int exitCode, String output) {}

  private Run launch() throws IOException, InterruptedException {
    Process bash = new ProcessBuilder("bash", "-c", "set -euo pipefail; source \"$0\"; build_if_stale \"$1\" \"$2\" "
        + "\"$3\" -q package; echo launched", SCRIPT.toString(), root.toString(), jar.toString(), lib.toString())
        .redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(60, TimeUnit.SECONDS));
    return new Run(bash.exitValue(), output);
  }

  private int builds() throws IOException {
    Path log = root.resolve("builds");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /**
   * Makes {@code file} look edited {@code seconds} after the last build: the jar is moved into the
   * past rather than the file into the future, so a build that runs now is newer than the edit.
   */
  private void editedAfterBuild(Path file, int seconds) throws IOException {
    Instant now = Instant.now();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path each : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(each, FileTime.from(now.minusSeconds(120)));
      }
    }
    Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(60 - seconds)));
  }

  @Test
  void buildsOnFirstUseThenOnlyWhenMainSourcesOrPomsChange() throws Exception {
    Run first = launch();
    assertEquals(0, first.exitCode(), first.output());
    assertTrue(first.output().startsWith("Building ShaleDB (first run"), first.output());
    assertEquals(1, builds());

    Run again = launch();
    assertEquals("launched\n", again.output());
    assertEquals(1, builds(), "nothing changed: no build");

    Path test = root.resolve("app/src/test/java/AppTest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, "class AppTest {}");
    Path output = root.resolve("app/target/classes/App.class");
    Files.createDirectories(output.getParent());
    Files.writeString(output, "");
    editedAfterBuild(test, 5);
    Files.setLastModifiedTime(output, Files.getLastModifiedTime(test));
    Files.setLastModifiedTime(lib, Files.getLastModifiedTime(test));
    assertEquals("launched\n", launch().output());
    assertEquals(1, builds(), "tests and build output are not in the jar");

    editedAfterBuild(source, 5);
    Run changed = launch();
    assertEquals(0, changed.exitCode(), changed.output());
    assertTrue(changed.output().contains("app/src/main/java/App.java changed since the last build"), changed.output());
    assertEquals(2, builds());
    assertEquals("launched\n", launch().output());
    assertEquals(2, builds(), "the rebuild marks the jar, so one change builds once");

    editedAfterBuild(root.resolve("pom.xml"), 5);
    launch();
    assertEquals(3, builds());
  }

  @Test
  void aFailedBuildShowsTheEndOfItsLogAndDoesNotLaunch() throws Exception {
    Files.writeString(root.resolve("fail"), "");
    Run failed = launch();
    assertEquals(1, failed.exitCode(), failed.output());
    assertTrue(failed.output().contains("COMPILATION ERROR: App.java"), failed.output());
    assertTrue(failed.output().contains("launcher-build.log"), failed.output());
    assertFalse(failed.output().contains("launched"), failed.output());
  }

  @Test
  void theLaunchersUseTheRule() throws IOException {
    for (String launcher : Set.of("shaledb", "shaledb-demo")) {
      String text = Files.readString(SCRIPT.getParent().getParent().resolve(launcher));
      assertTrue(text.contains("source \"$root/scripts/build-if-stale.sh\"") && text.contains("build_if_stale "),
          launcher);
    }
  }
}
