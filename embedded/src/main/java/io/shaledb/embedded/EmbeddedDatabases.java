package io.shaledb.embedded;

import io.shaledb.jdbc.EmbeddedDatabaseProvider;
import io.shaledb.jdbc.ShaleUrl;
import io.shaledb.jdbc.StatementCanceller;
import io.shaledb.sql.meta.MetaOptions;
import io.shaledb.sql.meta.ShaleMeta;
import io.shaledb.storage.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;

/**
 * The embedded databases this process has open, one {@link EmbeddedNode} per location, shared by
 * all connections to it and closed when the last one closes (an in-memory database is then gone,
 * as in H2). Found by the JDBC driver through {@link java.util.ServiceLoader}.
 */
public final class EmbeddedDatabases implements EmbeddedDatabaseProvider {
  private final Map<ShaleUrl, OpenNode> open = new HashMap<>();

  /** One open database: its node and the Meta that serves all its connections. */
  private static final class OpenNode {
    final EmbeddedNode node;
    final ShaleMeta meta;
    int connections;

    OpenNode(EmbeddedNode node, ShaleMeta meta) {
      this.node = node;
      this.meta = meta;
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection, ShaleUrl url) {
    return acquire(canonical(url)).meta;
  }

  @Override
  public StatementCanceller canceller(Meta meta) {
    ShaleMeta shaleMeta = (ShaleMeta) meta;
    return statement -> shaleMeta.cancel(statement.connectionId, statement.id);
  }

  private synchronized OpenNode acquire(ShaleUrl key) {
    OpenNode node = open.get(key);
    if (node == null) {
      StorageConfig config = storageConfig(key);
      EmbeddedNode opened = EmbeddedNode.open(config);
      node = new OpenNode(opened, new ShaleMeta(opened.engine(),
          MetaOptions.embedded(config.clock(), connectionId -> release(key))));
      open.put(key, node);
    }
    node.connections++;
    return node;
  }

  private synchronized void release(ShaleUrl key) {
    OpenNode node = open.get(key);
    if (node != null && --node.connections == 0) {
      open.remove(key);
      node.node.close();
    }
  }

  private static ShaleUrl canonical(ShaleUrl url) {
    if (url.kind() == ShaleUrl.Kind.FILE) {
      return new ShaleUrl(url.kind(), Path.of(url.location()).toAbsolutePath().normalize().toString());
    }
    return url;
  }

  private static StorageConfig storageConfig(ShaleUrl url) {
    if (url.kind() == ShaleUrl.Kind.MEMORY) {
      return StorageConfig.inMemory();
    }
    Path directory = Path.of(url.location());
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + directory, e);
    }
    return StorageConfig.file(directory);
  }
}
