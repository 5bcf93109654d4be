package io.shaledb.cluster.membership;

import java.util.List;
import java.util.Optional;

/** The cluster's nodes, ordered by node id. Immutable. */
public record Membership(List<Member> members) {
  public Membership {
    members = members.stream().sorted(java.util.Comparator.comparingInt(Member::nodeId)).toList();
  }

  public Optional<Member> find(int nodeId) {
    for (Member member : members) {
      if (member.nodeId() == nodeId) {
        return Optional.of(member);
      }
    }
    return Optional.empty();
  }

  /** With {@code member} added, or replacing the entry of its node id. */
  public Membership with(Member member) {
    List<Member> updated = new java.util.ArrayList<>();
    for (Member existing : members) {
      if (existing.nodeId() != member.nodeId()) {
        updated.add(existing);
      }
    }
    updated.add(member);
    return new Membership(updated);
  }
}
