package io.shaledb.common;

/**
 * The SQLSTATE codes ShaleDB reports. Every error a client can see carries one of these, so
 * tools and drivers (JDBC, Python DB-API) can classify it without parsing messages.
 */
public enum SqlState {
  SYNTAX_ERROR("42601"),
  UNDEFINED_TABLE("42P01"),
  UNDEFINED_COLUMN("42703"),
  UNDEFINED_FUNCTION("42883"),
  DUPLICATE_TABLE("42P07"),
  DUPLICATE_COLUMN("42701"),
  AMBIGUOUS_COLUMN("42702"),
  /** A column used outside an aggregate but not grouped, or an aggregate where none is allowed. */
  GROUPING_ERROR("42803"),
  /** The statement names an object of another kind, e.g. DROP TABLE on a view. */
  WRONG_OBJECT_TYPE("42809"),
  DATATYPE_MISMATCH("42804"),
  INVALID_TABLE_DEFINITION("42P16"),
  /** A view that would (indirectly) select from itself. */
  INVALID_OBJECT_DEFINITION("42P17"),
  UNDEFINED_OBJECT("42704"),
  /** CREATE USER of a user that exists. */
  DUPLICATE_OBJECT("42710"),
  /** A FOREIGN KEY that references columns without a primary key or UNIQUE constraint. */
  INVALID_FOREIGN_KEY("42830"),
  /**
   * DROP of an object others depend on, e.g. a table a foreign key references, or DROP COLUMN of a
   * column a key or constraint uses.
   */
  DEPENDENT_OBJECTS_STILL_EXIST("2BP01"),
  INSUFFICIENT_PRIVILEGE("42501"),
  /** Unknown user or wrong password; which of the two is never said. */
  INVALID_PASSWORD("28P01"),
  FEATURE_NOT_SUPPORTED("0A000"),

  UNIQUE_VIOLATION("23505"),
  NOT_NULL_VIOLATION("23502"),
  FOREIGN_KEY_VIOLATION("23503"),
  CHECK_VIOLATION("23514"),
  /** A value given for a GENERATED ALWAYS column. */
  GENERATED_ALWAYS("428C9"),

  /** A scalar subquery returned more than one row, or MERGE matched a target row twice. */
  CARDINALITY_VIOLATION("21000"),

  DATA_EXCEPTION("22000"),
  STRING_DATA_RIGHT_TRUNCATION("22001"),
  NUMERIC_VALUE_OUT_OF_RANGE("22003"),
  INVALID_DATETIME_FORMAT("22007"),
  SUBSTRING_ERROR("22011"),
  DIVISION_BY_ZERO("22012"),
  INVALID_TEXT_REPRESENTATION("22P02"),
  INVALID_PARAMETER_VALUE("22023"),
  /** A sequence reached its MAXVALUE (or MINVALUE, counting down). */
  SEQUENCE_GENERATOR_LIMIT_EXCEEDED("2200H"),

  ACTIVE_SQL_TRANSACTION("25001"),
  NO_ACTIVE_SQL_TRANSACTION("25P01"),
  INVALID_TRANSACTION_STATE("25000"),
  /** A statement failed so that its transaction had to be rolled back; only ROLLBACK (or COMMIT) ends it. */
  IN_FAILED_SQL_TRANSACTION("25P02"),
  SERIALIZATION_FAILURE("40001"),

  INVALID_AUTHORIZATION("28000"),

  CONNECTION_EXCEPTION("08000"),
  CONNECTION_DOES_NOT_EXIST("08003"),
  CONNECTION_FAILURE("08006"),
  /** A commit whose outcome is unknown: the node deciding it could not be reached in time (PostgreSQL's code). */
  TRANSACTION_RESOLUTION_UNKNOWN("08007"),
  /** A peer sent bytes that are not a valid message of the protocol (PostgreSQL's code). */
  PROTOCOL_VIOLATION("08P01"),

  QUERY_CANCELED("57014"),
  /** Idle or admin-ended session, e.g. a server connection closed after its idle timeout. */
  ADMIN_SHUTDOWN("57P01"),
  /** Time travel to an instant whose versions are outside the retention window (PostgreSQL's code). */
  SNAPSHOT_TOO_OLD("72000"),
  PROGRAM_LIMIT_EXCEEDED("54000"),
  STATEMENT_TOO_COMPLEX("54001"),
  TOO_MANY_CONNECTIONS("53300"),
  /** A per-user limit, such as statements running at once, was reached (PostgreSQL's configuration_limit_exceeded). */
  CONFIGURATION_LIMIT_EXCEEDED("53400"),
  /** The object is not in the state the statement needs, e.g. RESTORE DATABASE into a database with tables. */
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
  /** A file could not be read or written (PostgreSQL's io_error), e.g. a backup directory. */
  IO_ERROR("58030"),
  INTERNAL_ERROR("XX000"),
  /** Stored data failed its checksum or is not in its format, e.g. a damaged backup (PostgreSQL's data_corrupted). */
  DATA_CORRUPTED("XX001");

  private final String code;

  SqlState(String code) {
    this.code = code;
  }

  /** The five-character SQLSTATE. */
  public String code() {
    return code;
  }

  /**
   * Whether a client may retry the whole transaction and expect it to succeed eventually. Not
   * {@link #TRANSACTION_RESOLUTION_UNKNOWN}: that transaction may have committed, so a blind retry
   * could apply it twice.
   */
  public boolean isRetryable() {
    return this == SERIALIZATION_FAILURE || (code.startsWith("08") && this != TRANSACTION_RESOLUTION_UNKNOWN);
  }
}
