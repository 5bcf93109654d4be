package io.shaledb.cluster.node;

import io.shaledb.cluster.metadata.MetadataGroup;

/**
 * The metadata group for the state machine's callbacks, which Ratis may call (recovering the log at
 * start) before the group object exists; until then there is nothing to do. Thread-safe.
 */
final class MetadataGroupHolder {
  private volatile MetadataGroup group;

  void set(MetadataGroup created) {
    group = created;
  }

  void reconcileSoon() {
    MetadataGroup current = group;
    if (current != null) {
      current.reconcileSoon();
    }
  }
}
