package io.shaledb.jdbc;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;

/**
 * Opens embedded databases ({@code jdbc:shaledb:mem:} and {@code jdbc:shaledb:file:} URLs). The
 * driver finds the implementation through {@link java.util.ServiceLoader}; the {@code
 * shaledb-embedded} module provides it (and so does {@code shaledb-cluster}, which depends on it), so
 * embedded URLs work whenever it is on the class path.
 *
 * <p>Implementations are thread-safe and share one open database among all connections to the
 * same location.
 */
public interface EmbeddedDatabaseProvider {

  /**
   * The {@link Meta} that serves {@code connection}, opening the database at {@code url} if no
   * connection has it open. The database is released when the Meta closes the connection.
   *
   * @throws RuntimeException if the database cannot be opened; its message says why
   */
  Meta createMeta(AvaticaConnection connection, ShaleUrl url);

  /** How to cancel statements served by {@code meta}, a Meta this provider created. */
  StatementCanceller canceller(Meta meta);
}
