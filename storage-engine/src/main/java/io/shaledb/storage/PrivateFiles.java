package io.shaledb.storage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps a data directory readable by its owner only: rows and password hashes are in its files,
 * and the process umask (usually 022) would make them readable by every local user. Directories
 * get 0700, files 0600, as PostgreSQL requires of its data directory. On a file system without
 * POSIX permissions (Windows) nothing changes.
 */
final class PrivateFiles {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Restricts {@code directory} and everything under it to the owner. */
  static void restrict(Path directory) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = walk.toList();
    }
    for (Path path : paths) {
      if (Files.isSymbolicLink(path)) {
        continue;
      }
      try {
        Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
      } catch (java.nio.file.NoSuchFileException e) {
        // Removed meanwhile (a compaction's leftovers): nothing to protect.
      }
    }
  }
}
