package io.shaledb.kv.encoding;

/**
 * The direction of one key component. {@link #DESC} inverts every byte of the component's
 * ascending encoding, so it reverses the order of values and puts NULL last.
 */
public enum SortOrder {
  ASC,
  DESC;

  /** The mask XORed onto every byte of a component: 0x00 for ASC, 0xff for DESC. */
  int byteMask() {
    return this == DESC ? 0xff : 0x00;
  }
}
