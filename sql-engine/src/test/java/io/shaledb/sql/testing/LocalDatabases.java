package io.shaledb.sql.testing;

import io.shaledb.jdbc.EmbeddedDatabaseProvider;
import io.shaledb.jdbc.ShaleUrl;
import io.shaledb.jdbc.StatementCanceller;
import io.shaledb.sql.meta.MetaOptions;
import io.shaledb.sql.meta.ShaleMeta;
import io.shaledb.storage.StorageConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;

/**
 * {@code jdbc:shaledb:mem:} and {@code jdbc:shaledb:file:} for this module's tests, registered in
 * the test class path's {@code META-INF/services}: one {@link LocalEngine} per location, shared by
 * its connections and closed with the last one, as the {@code embedded} module's provider does for
 * applications (which this module cannot depend on).
 */
public final class LocalDatabases implements EmbeddedDatabaseProvider {
  private final Map<ShaleUrl, Open> open = new HashMap<>();

  private static final class Open {
    final LocalEngine engine;
    final ShaleMeta meta;
    int connections;

    Open(LocalEngine engine, ShaleMeta meta) {
      this.engine = engine;
      this.meta = meta;
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection, ShaleUrl url) {
    return acquire(url).meta;
  }

  @Override
  public StatementCanceller canceller(Meta meta) {
    ShaleMeta shaleMeta = (ShaleMeta) meta;
    return statement -> shaleMeta.cancel(statement.connectionId, statement.id);
  }

  private synchronized Open acquire(ShaleUrl url) {
    Open database = open.get(url);
    if (database == null) {
      StorageConfig config = url.kind() == ShaleUrl.Kind.MEMORY
          ? StorageConfig.inMemory()
          : StorageConfig.file(Path.of(url.location()));
      LocalEngine engine = LocalEngine.open(config);
      database = new Open(engine, new ShaleMeta(engine.engine(),
          MetaOptions.embedded(config.clock(), connectionId -> release(url))));
      open.put(url, database);
    }
    database.connections++;
    return database;
  }

  private synchronized void release(ShaleUrl url) {
    Open database = open.get(url);
    if (database != null && --database.connections == 0) {
      open.remove(url);
      database.engine.close();
    }
  }
}
