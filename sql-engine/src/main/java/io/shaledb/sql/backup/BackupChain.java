package io.shaledb.sql.backup;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A backup and the backups it continues, full backup first, every file checked against its
 * manifest's size and SHA-256 before anything is restored from it.
 */
record BackupChain(List<Link> links) {
  /** Incremental backups that continue one another, at most: a bound on a loop over manifests. */
  static final int MAX_LENGTH = 10_000;

  /** One verified backup: where it is, its manifest and its manifest file's checksum. */
  record Link(Path directory, Manifest manifest, String manifestSha256) {}

  BackupChain {
    links = List.copyOf(links);
    assert !links.isEmpty() && links.get(0).manifest().kind() == Manifest.Kind.FULL;
  }

  Link last() {
    return links.get(links.size() - 1);
  }

  /**
   * Loads the backup in {@code directory} and its parents, checking every manifest and every data
   * file.
   *
   * @throws ShaleException 58030 if the directory cannot be read; XX001 if a manifest or data
   *     file is missing, truncated or altered, or a parent is not the backup its child continues
   */
  static BackupChain verify(Path directory) {
    List<Link> links = new ArrayList<>();
    Path current = directory.toAbsolutePath().normalize();
    String expectedSha = null;
    long expectedTs = -1;
    while (true) {
      if (links.size() == MAX_LENGTH) {
        throw new ShaleException(SqlState.PROGRAM_LIMIT_EXCEEDED, "backup chain of " + directory + " is longer than "
            + MAX_LENGTH);
      }
      Link link = verifyOne(current);
      if (expectedSha != null && (!expectedSha.equals(link.manifestSha256())
          || link.manifest().snapshotTimestamp() != expectedTs)) {
        throw new ShaleException(SqlState.DATA_CORRUPTED, "backup " + current + " is not the backup that "
            + links.get(links.size() - 1).directory() + " continues (its manifest checksum or snapshot differs)");
      }
      links.add(link);
      Manifest.Parent parent = link.manifest().parent();
      if (parent == null) {
        break;
      }
      expectedSha = parent.manifestSha256();
      expectedTs = parent.snapshotTimestamp();
      Path recorded = Path.of(parent.path());
      // A set of backups moved together keeps working: the parent is looked for next to its child too.
      Path sibling = current.resolveSibling(recorded.getFileName());
      current = Files.isDirectory(recorded) || !Files.isDirectory(sibling) ? recorded : sibling;
    }
    Collections.reverse(links);
    return new BackupChain(links);
  }

  private static Link verifyOne(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ShaleException(SqlState.IO_ERROR, "backup directory " + directory + " does not exist");
    }
    Path manifestPath = directory.resolve(Manifest.FILE_NAME);
    byte[] manifestBytes;
    try {
      manifestBytes = Files.readAllBytes(manifestPath);
    } catch (NoSuchFileException e) {
      throw new ShaleException(SqlState.DATA_CORRUPTED, directory + " holds no complete backup: its "
          + Manifest.FILE_NAME + " is missing (a backup that did not finish writes none)");
    } catch (IOException e) {
      throw new ShaleException(SqlState.IO_ERROR, "cannot read " + manifestPath + ": " + e.getMessage(), e);
    }
    Manifest manifest = Manifest.decode(manifestBytes, manifestPath);
    for (Manifest.KeyspaceFile file : manifest.keyspaces()) {
      verifyFile(directory.resolve(file.file()), file);
    }
    return new Link(directory, manifest, DataFile.hex(DataFile.sha256().digest(manifestBytes)));
  }

  private static void verifyFile(Path path, Manifest.KeyspaceFile expected) {
    MessageDigest digest = DataFile.sha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
    } catch (NoSuchFileException e) {
      throw DataFile.corrupt(path, "it is missing");
    } catch (IOException e) {
      throw new ShaleException(SqlState.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
    }
    if (size != expected.bytes()) {
      throw DataFile.corrupt(path, "it has " + size + " bytes, the manifest says " + expected.bytes());
    }
    if (!DataFile.hex(digest.digest()).equals(expected.sha256())) {
      throw DataFile.corrupt(path, "its SHA-256 does not match the manifest");
    }
  }

  /**
   * The links whose snapshot is at or before {@code timestamp}: what a restore as of then applies.
   *
   * @throws ShaleException 22023 if the full backup itself is later
   */
  BackupChain upTo(long timestamp) {
    List<Link> kept = new ArrayList<>();
    for (Link link : links) {
      if (link.manifest().snapshotTimestamp() <= timestamp) {
        kept.add(link);
      }
    }
    if (kept.isEmpty()) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "the backup chain starts at "
          + links.get(0).manifest().snapshotTime() + ", after the instant asked for");
    }
    return new BackupChain(kept);
  }
}
