package io.shaledb.cluster.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaledb.cluster.membership.KeyspacePlacement;
import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.ShardPlacement;
import io.shaledb.cluster.protocol.WireInput;
import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetadataStateTest {
  private static final Member NODE_1 = new Member(1, "a:1", "a:2", "p1", "a:3");
  private static final Member NODE_2 = new Member(2, "b:1", "b:2", "p2", "b:3");

  @Test
  void everyCommandSurvivesItsCodec() {
    List<MetadataCommand> commands = List.of(
        new MetadataCommand.Join(NODE_2),
        new MetadataCommand.ReserveShardIds(7),
        new MetadataCommand.PublishKeyspace(new KeyspacePlacement(1024, List.of(new ShardPlacement(3, 1), new ShardPlacement(4, 2)))),
        new MetadataCommand.DropKeyspace(1024),
        new MetadataCommand.RaiseTimestampBound(123_456_789L),
        new MetadataCommand.RaiseGcSafePoint(42));
    for (MetadataCommand command : commands) {
      assertEquals(command, MetadataCommand.decode(command.encode()));
    }
  }

  @Test
  void persistedTagsDoNotChange() {
    assertEquals(1, new MetadataCommand.Join(NODE_1).encode()[0]);
    assertEquals(2, new MetadataCommand.ReserveShardIds(1).encode()[0]);
    assertEquals(3, new MetadataCommand.PublishKeyspace(new KeyspacePlacement(1, List.of(new ShardPlacement(0, 1)))).encode()[0]);
    assertEquals(4, new MetadataCommand.DropKeyspace(1).encode()[0]);
    assertEquals(5, new MetadataCommand.RaiseTimestampBound(1).encode()[0]);
    assertEquals(6, new MetadataCommand.RaiseGcSafePoint(1).encode()[0]);
  }

  @Test
  void malformedCommandsAreProtocolViolations() {
    assertEquals(SqlState.PROTOCOL_VIOLATION,
        assertThrows(ShaleException.class, () -> MetadataCommand.decode(new byte[] {99})).sqlState());
    byte[] join = new MetadataCommand.Join(NODE_1).encode();
    for (int length = 0; length < join.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(join, length);
      assertEquals(SqlState.PROTOCOL_VIOLATION,
          assertThrows(ShaleException.class, () -> MetadataCommand.decode(truncated)).sqlState());
    }
  }

  @Test
  void shardIdsAreNeverHandedOutTwice() {
    MetadataState state = MetadataState.EMPTY;
    MetadataState.Applied first = state.apply(new MetadataCommand.ReserveShardIds(3));
    assertEquals(0, new WireInput(first.result()).readInt());
    MetadataState.Applied second = first.state().apply(new MetadataCommand.ReserveShardIds(2));
    assertEquals(3, new WireInput(second.result()).readInt());
    // A placement published with higher ids (an older log) moves the counter past them.
    MetadataState published = second.state().apply(new MetadataCommand.PublishKeyspace(
        new KeyspacePlacement(1024, List.of(new ShardPlacement(9, 1))))).state();
    assertEquals(10, published.nextShardId());
  }

  @Test
  void boundsOnlyRiseAndTheTimestampResultIsTheBoundBeforeAndAfter() {
    MetadataState state = MetadataState.EMPTY.apply(new MetadataCommand.RaiseTimestampBound(100)).state();
    MetadataState.Applied lower = state.apply(new MetadataCommand.RaiseTimestampBound(50));
    assertEquals(100, lower.state().timestampBound());
    WireInput in = new WireInput(lower.result());
    assertEquals(100, in.readLong());
    assertEquals(100, in.readLong());
    MetadataState.Applied higher = lower.state().apply(new MetadataCommand.RaiseTimestampBound(150));
    in = new WireInput(higher.result());
    assertEquals(100, in.readLong());
    assertEquals(150, in.readLong());
    assertEquals(7, state.apply(new MetadataCommand.RaiseGcSafePoint(7)).state()
        .apply(new MetadataCommand.RaiseGcSafePoint(3)).state().gcSafePoint());
  }

  @Test
  void aKeyspaceIsPublishedOnceAndARejoinReplacesTheMember() {
    KeyspacePlacement first = new KeyspacePlacement(1024, List.of(new ShardPlacement(0, 1)));
    KeyspacePlacement second = new KeyspacePlacement(1024, List.of(new ShardPlacement(1, 2)));
    MetadataState state = MetadataState.EMPTY.apply(new MetadataCommand.PublishKeyspace(first)).state()
        .apply(new MetadataCommand.PublishKeyspace(second)).state();
    assertEquals(first, state.shardMap().find(1024).orElseThrow());
    Member wiped = new Member(2, "b:1", "b:2", "p2-new", "b:3");
    state = state.apply(new MetadataCommand.Join(NODE_2)).state().apply(new MetadataCommand.Join(wiped)).state();
    assertEquals(List.of(wiped), state.membership().members());
  }

  /** Replicas that apply the same log hold the same state, and a snapshot of it restores it exactly. */
  @Test
  void applyingTheSameLogIsDeterministicAndSnapshotsRoundTrip() {
    for (long seed = 1; seed <= 20; seed++) {
      List<MetadataCommand> log = randomLog(new Random(seed), 200);
      MetadataState one = MetadataState.EMPTY;
      MetadataState two = MetadataState.EMPTY;
      for (MetadataCommand command : log) {
        MetadataState.Applied a = one.apply(command);
        MetadataState.Applied b = two.apply(MetadataCommand.decode(command.encode()));
        assertArrayEquals(a.result(), b.result(), "seed " + seed);
        one = a.state();
        two = b.state();
      }
      assertEquals(one, two, "seed " + seed);
      assertEquals(one, MetadataState.decode(one.encode()), "seed " + seed);
    }
  }

  private static List<MetadataCommand> randomLog(Random random, int length) {
    List<MetadataCommand> log = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      int nodeId = 1 + random.nextInt(5);
      log.add(switch (random.nextInt(6)) {
        case 0 -> new MetadataCommand.Join(new Member(nodeId, "h" + nodeId + ":1", "h:2", "p" + random.nextInt(3), "h:3"));
        case 1 -> new MetadataCommand.ReserveShardIds(1 + random.nextInt(8));
        case 2 -> new MetadataCommand.PublishKeyspace(new KeyspacePlacement(1024 + random.nextInt(4),
            List.of(new ShardPlacement(random.nextInt(100), nodeId))));
        case 3 -> new MetadataCommand.DropKeyspace(1024 + random.nextInt(4));
        case 4 -> new MetadataCommand.RaiseTimestampBound(random.nextInt(1_000_000));
        default -> new MetadataCommand.RaiseGcSafePoint(random.nextInt(1_000_000));
      });
    }
    return log;
  }
}
