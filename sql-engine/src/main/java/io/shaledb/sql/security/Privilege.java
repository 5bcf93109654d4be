package io.shaledb.sql.security;

/** What a user may do with a table's rows. Granted per table with GRANT, taken back with REVOKE. */
public enum Privilege {
  SELECT,
  INSERT,
  UPDATE,
  DELETE;

  /** This privilege's bit in a stored privilege set; stable, so never reorder the constants. */
  int bit() {
    return 1 << ordinal();
  }
}
