package io.shaledb.cluster.server;

import io.shaledb.storage.PersistedNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive claim on a data directory, so that two servers never open the same files. The lock
 * is an OS file lock on {@value #FILE_NAME}, so it disappears with the process even after SIGKILL;
 * the file also records the owner's process id for the refusal message.
 */
public final class DataDirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = PersistedNames.LOCK_FILE;

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code directory}, creating it if missing.
   *
   * @throws IllegalStateException if another process holds the directory; the message names the
   *     directory and that process
   */
  public static DataDirectoryLock acquire(Path directory) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(FILE_NAME);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String owner = owner(channel);
        channel.close();
        throw new IllegalStateException("data directory " + directory.toAbsolutePath()
            + " is in use by another ShaleDB server" + owner + "; stop it first or use another --data directory");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new DataDirectoryLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data directory " + directory, e);
    }
  }

  /**
   * Whether another process holds {@code directory} now: its description (" (process N)", or empty
   * if it is not known) if so, empty if the directory is free or has no lock file. Takes no lock
   * that outlives the call and creates nothing.
   */
  public static Optional<String> holder(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock != null) {
        lock.release();
        return Optional.empty();
      }
      return Optional.of(owner(channel));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String owner(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    return pid.isEmpty() ? "" : " (process " + pid + ")";
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release data directory lock", e);
    }
  }
}
