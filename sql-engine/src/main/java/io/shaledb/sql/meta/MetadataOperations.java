package io.shaledb.sql.meta;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.QueryState;

/**
 * Answers a {@link QueryState} of type METADATA: a {@link java.sql.DatabaseMetaData} operation
 * and its arguments as Avatica's {@code SyncResultsRequest} carries them (phoenixdb's {@code
 * meta().get_primary_keys()} and {@code get_index_info()} arrive this way). Arguments are in the
 * order of the {@code DatabaseMetaData} method's parameters.
 */
final class MetadataOperations {
  private MetadataOperations() {}

  static ShaleMetadata.Result run(ShaleMetadata metadata, QueryState state) {
    if (state.metaDataOperation == null) {
      throw new ShaleException(SqlState.PROTOCOL_VIOLATION, "a METADATA query state must name its operation");
    }
    Arguments a = new Arguments(state.operationArgs == null ? new Object[0] : state.operationArgs);
    return switch (state.metaDataOperation) {
      case GET_CATALOGS -> metadata.catalogs();
      case GET_SCHEMAS -> metadata.schemas(null, null);
      case GET_SCHEMAS_WITH_ARGS -> metadata.schemas(a.text(0), a.text(1));
      case GET_TABLE_TYPES -> metadata.tableTypes();
      case GET_TABLES -> metadata.tables(a.text(0), a.text(1), a.text(2), a.texts(3));
      case GET_COLUMNS -> metadata.columns(a.text(0), a.text(1), a.text(2), a.text(3));
      case GET_PRIMARY_KEYS -> metadata.primaryKeys(a.text(0), a.text(1), a.text(2));
      case GET_IMPORTED_KEYS -> metadata.importedKeys(a.text(0), a.text(1), a.text(2));
      case GET_EXPORTED_KEYS -> metadata.exportedKeys(a.text(0), a.text(1), a.text(2));
      case GET_CROSS_REFERENCE -> metadata.crossReference(a.text(0), a.text(1), a.text(2), a.text(3), a.text(4),
          a.text(5));
      case GET_INDEX_INFO -> metadata.indexInfo(a.text(0), a.text(1), a.text(2), a.bool(3));
      case GET_TYPE_INFO -> metadata.typeInfo();
      case GET_FUNCTIONS -> metadata.functions();
      default -> throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "metadata operation "
          + state.metaDataOperation + " is not supported");
    };
  }

  /** The operation's arguments, checked for the type each parameter needs. */
  private record Arguments(Object[] values) {
    String text(int index) {
      Object value = at(index);
      if (value != null && !(value instanceof String)) {
        throw wrongType(index, "a string", value);
      }
      return (String) value;
    }

    List<String> texts(int index) {
      Object value = at(index);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String[] array)) {
        throw wrongType(index, "a list of strings", value);
      }
      return Arrays.asList(array);
    }

    boolean bool(int index) {
      Object value = at(index);
      if (value != null && !(value instanceof Boolean)) {
        throw wrongType(index, "a boolean", value);
      }
      return Boolean.TRUE.equals(value);
    }

    private Object at(int index) {
      return index < values.length ? values[index] : null;
    }

    private static ShaleException wrongType(int index, String expected, Object value) {
      return new ShaleException(SqlState.PROTOCOL_VIOLATION, "metadata argument " + (index + 1) + " must be "
          + expected + ", not " + value.getClass().getSimpleName());
    }
  }
}
