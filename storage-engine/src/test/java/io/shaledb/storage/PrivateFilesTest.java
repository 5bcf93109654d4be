package io.shaledb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory and its files are readable by their owner only, whatever the umask. */
class PrivateFilesTest {
  @TempDir Path parent;

  @Test
  void dataFilesAre0600InA0700Directory() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path directory = parent.resolve("data");
    // A directory that already exists with the usual 0755, as a server's lock file creates it.
    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (NodeStorage storage = NodeStorage.open(new StorageConfig(directory, new ManualClock(0)))) {
      storage.createShard(1);
      storage.sync();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
      List<Path> files;
      try (Stream<Path> walk = Files.walk(directory)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      assertFalse(files.isEmpty());
      for (Path file : files) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
      }
    }
  }
}
