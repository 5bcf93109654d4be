package io.shaledb.cluster.metadata;

import org.apache.ratis.protocol.RaftPeerId;

/** What the metadata state machine tells the node. Called on Ratis's threads: implementations return quickly. */
public interface MetadataEvents {
  /** A command was applied ({@code null}: the state was replaced by a snapshot). */
  default void applied(MetadataCommand command, MetadataState state) {}

  /** This replica became leader and has applied every entry committed before its term. */
  default void leaderReady() {}

  default void leaderChanged(RaftPeerId leader) {}

  default void configurationChanged() {}
}
