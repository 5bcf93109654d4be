package io.shaledb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary data directories of the storage benchmarks. */
final class BenchmarkFiles {
  private BenchmarkFiles() {}

  /** Deletes {@code directory} and everything below it, children first. */
  static void deleteRecursively(Path directory) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }
}
