package io.shaledb.cluster.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftTlsTest {
  private static final byte[] SECRET = "raft-tls-test-secret-0123".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_SECRET = "another-cluster-secret-99".getBytes(StandardCharsets.UTF_8);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path directory;

  @Test
  void nodesOfOneClusterAcceptEachOtherAndNoOneElse() {
    RaftTls first = RaftTls.loadOrCreate(directory.resolve("n1"), SECRET, CLOCK);
    RaftTls second = RaftTls.loadOrCreate(directory.resolve("n2"), SECRET, CLOCK);
    RaftTls stranger = RaftTls.loadOrCreate(directory.resolve("n3"), OTHER_SECRET, CLOCK);
    assertTrue(first.accepts(second.certificate()));
    assertTrue(second.accepts(first.certificate()));
    assertFalse(first.accepts(stranger.certificate()));
    assertFalse(stranger.accepts(first.certificate()));
  }

  @Test
  void theKeyIsKeptAcrossRestartsAndRemadeForANewSecret() {
    RaftTls made = RaftTls.loadOrCreate(directory, SECRET, CLOCK);
    assertEquals(made.certificate(), RaftTls.loadOrCreate(directory, SECRET, CLOCK).certificate());
    RaftTls remade = RaftTls.loadOrCreate(directory, OTHER_SECRET, CLOCK);
    assertNotEquals(made.certificate(), remade.certificate());
    assertFalse(made.accepts(remade.certificate()));
  }

  @Test
  void anExpiredCertificateIsRefused() {
    RaftTls made = RaftTls.loadOrCreate(directory, SECRET, CLOCK);
    RaftTls later = RaftTls.loadOrCreate(directory.resolve("later"), SECRET,
        Clock.offset(CLOCK, Duration.ofDays(3651)));
    assertFalse(later.accepts(made.certificate()));
  }
}
