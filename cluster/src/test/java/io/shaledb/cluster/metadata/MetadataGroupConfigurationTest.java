package io.shaledb.cluster.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaledb.cluster.membership.Member;
import io.shaledb.cluster.membership.Membership;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;

class MetadataGroupConfigurationTest {
  private static Member member(int nodeId, String peerId) {
    return new Member(nodeId, "h:" + nodeId, "h:8", peerId, "h:9" + nodeId);
  }

  private static RaftPeer peer(Member member) {
    return RaftPeer.newBuilder().setId(member.raftPeerId()).setAddress(member.raftAddress()).build();
  }

  private static List<String> ids(List<RaftPeer> peers) {
    List<String> ids = new ArrayList<>();
    for (RaftPeer peer : peers) {
      ids.add(peer.getId().toString());
    }
    return ids;
  }

  @Test
  void oneVoterUpToTwoNodesThreeFromThreeFiveFromFive() {
    assertEquals(1, MetadataGroup.votersWanted(1));
    assertEquals(1, MetadataGroup.votersWanted(2));
    assertEquals(3, MetadataGroup.votersWanted(3));
    assertEquals(3, MetadataGroup.votersWanted(4));
    assertEquals(5, MetadataGroup.votersWanted(5));
    assertEquals(5, MetadataGroup.votersWanted(9));
  }

  @Test
  void theLeaderAndCurrentVotersStayAndTheRestListen() {
    List<Member> members = List.of(member(1, "a"), member(2, "b"), member(3, "c"), member(4, "d"));
    MetadataGroup.Desired desired = MetadataGroup.desired(new Membership(members),
        List.of(peer(members.get(0)), peer(members.get(3))), peer(members.get(3)));
    assertEquals(List.of("d", "a", "b"), ids(desired.voters()));
    assertEquals(List.of("c"), ids(desired.listeners()));
  }

  @Test
  void aWipedNodeReplacesItsOldIdentityAsVoter() {
    List<Member> members = List.of(member(1, "a"), member(2, "b"), member(3, "c-new"));
    RaftPeer old = RaftPeer.newBuilder().setId("c-old").setAddress("h:93").build();
    MetadataGroup.Desired desired = MetadataGroup.desired(new Membership(members),
        List.of(peer(members.get(0)), peer(members.get(1)), old), peer(members.get(0)));
    assertEquals(List.of("a", "b", "c-new"), ids(desired.voters()));
    assertEquals(List.of(), ids(desired.listeners()));
  }
}
