package io.shaledb.sql.ddl;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import io.shaledb.sql.catalog.Catalog;
import io.shaledb.sql.catalog.SequenceDef;
import io.shaledb.sql.parser.ddl.ShaleCreateSequence;
import io.shaledb.sql.parser.ddl.ShaleDropSequence;
import java.util.Optional;

/**
 * CREATE SEQUENCE and DROP SEQUENCE, with PostgreSQL's defaults: START at MINVALUE counting up
 * (MAXVALUE counting down), MINVALUE 1 and MAXVALUE the type's largest counting up (the type's
 * smallest and -1 counting down). The default CACHE is {@link #DEFAULT_CACHE}, not PostgreSQL's 1:
 * with 1 every value would be a catalog transaction.
 */
public final class SequenceStatements {
  /** Values a node reserves at a time unless CACHE says otherwise: what a crash can skip. */
  public static final long DEFAULT_CACHE = 20;

  private SequenceStatements() {}

  public static void create(Catalog catalog, ShaleCreateSequence create) {
    String name = DdlExecutor.tableName(create.name());
    if (create.ifNotExists() && catalog.sequence(name).isPresent()) {
      return;
    }
    if (create.cycle()) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "CYCLE is not supported; sequences stop at their bound");
    }
    String dataType = create.dataType() == null ? "BIGINT" : create.dataType();
    long increment = create.increment() == null ? 1 : create.increment();
    if (increment == 0) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE, "INCREMENT must not be zero");
    }
    long minValue = create.minValue() != null ? create.minValue() : increment > 0 ? 1 : SequenceDef.typeMin(dataType);
    long maxValue = create.maxValue() != null ? create.maxValue() : increment > 0 ? SequenceDef.typeMax(dataType) : -1;
    if (minValue < SequenceDef.typeMin(dataType) || maxValue > SequenceDef.typeMax(dataType)) {
      throw new ShaleException(SqlState.INVALID_PARAMETER_VALUE,
          "MINVALUE and MAXVALUE of a sequence AS " + dataType + " must lie within the type's range");
    }
    long start = create.start() != null ? create.start() : increment > 0 ? minValue : maxValue;
    long cache = create.cache() == null ? DEFAULT_CACHE : create.cache();
    catalog.createSequence(new SequenceDef(0, name, dataType, start, increment, minValue, maxValue, cache));
  }

  /** Drops the sequence and returns it, or nothing if it did not exist and IF EXISTS was written. */
  public static Optional<SequenceDef> drop(Catalog catalog, ShaleDropSequence drop) {
    String name = DdlExecutor.tableName(drop.name());
    Optional<SequenceDef> sequence = catalog.sequence(name);
    if (sequence.isEmpty()) {
      if (drop.ifExists()) {
        return Optional.empty();
      }
      throw new ShaleException(SqlState.UNDEFINED_TABLE, "sequence \"" + name + "\" does not exist");
    }
    catalog.dropSequence(name);
    return sequence;
  }
}
