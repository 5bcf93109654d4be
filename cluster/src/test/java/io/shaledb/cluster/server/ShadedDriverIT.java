package io.shaledb.cluster.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded driver jar alone, loaded the way a tool loads a driver jar (its own class loader, no
 * other jars), connects to a server, runs statements and reports errors with their SQLSTATE.
 */
class ShadedDriverIT {
  @TempDir
  Path data;

  @Test
  void shadedJarNeedsNoOtherJars() throws Exception {
    Path jar = shadedJar();
    try (ServerProcess server = ServerProcess.start(data);
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
      Driver driver = (Driver) loader.loadClass("io.shaledb.jdbc.ShaleDriver").getDeclaredConstructor().newInstance();
      assertTrue(driver.acceptsURL(server.url()));
      Properties credentials = new Properties();
      credentials.setProperty("user", "admin");
      credentials.setProperty("password", ServerProcess.ADMIN_PASSWORD);
      try (Connection c = driver.connect(server.url(), credentials); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE shaded (id INT PRIMARY KEY, v VARCHAR(10))");
        s.execute("INSERT INTO shaded VALUES (1, 'one')");
        try (ResultSet rs = s.executeQuery("SELECT v FROM shaded WHERE id = 1")) {
          assertTrue(rs.next());
          assertEquals("one", rs.getString(1));
        }
        SQLException duplicate = assertThrows(SQLException.class, () -> s.execute("INSERT INTO shaded VALUES (1, 'x')"));
        assertEquals("23505", duplicate.getSQLState());
        assertEquals("ShaleDB", c.getMetaData().getDatabaseProductName());
        // Avatica is inside, relocated: the connection's classes do not come from org.apache.calcite.
        assertTrue(c.getClass().getSuperclass().getName().startsWith("io.shaledb.jdbc.shaded.avatica"),
            c.getClass().getSuperclass().getName());
      }
      server.terminate();
    }
  }

  private static Path shadedJar() throws IOException {
    Path target = Path.of("..", "jdbc-driver", "target");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "shaledb-jdbc-driver-*-all.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("no shaded driver jar in " + target.toAbsolutePath()
        + "; build it with ./mvnw -pl jdbc-driver package");
  }
}
