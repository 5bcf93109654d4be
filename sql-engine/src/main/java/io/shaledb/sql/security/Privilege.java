package io.shaledb.sql.security;

/**
 * What a user may do with a table. Granted per table with GRANT, taken back with REVOKE; the
 * creator of a table holds all of them on it.
 *
 * <ul>
 *   <li>SELECT, INSERT, UPDATE, DELETE: read and change rows;
 *   <li>REFERENCES: create a table whose FOREIGN KEY references this one (as in PostgreSQL): such
 *       a key lets its owner test which keys exist here and blocks deleting them;
 *   <li>TRUNCATE: TRUNCATE TABLE (as in PostgreSQL, DELETE is not enough).
 * </ul>
 */
public enum Privilege {
  SELECT,
  INSERT,
  UPDATE,
  DELETE,
  REFERENCES,
  TRUNCATE;

  /** This privilege's bit in a stored privilege set; stable, so never reorder the constants. */
  int bit() {
    return 1 << ordinal();
  }
}
