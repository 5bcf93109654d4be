package io.shaledb.sql.session;

import io.shaledb.common.ShaleException;
import io.shaledb.common.SqlState;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;

/**
 * {@code SET name = value}, {@code SET TIME ZONE value} and {@code RESET name}: the session
 * settings PostgreSQL clients and tools send when they connect, accepted where ShaleDB already
 * behaves as the value asks and refused otherwise. ShaleDB keeps no per-session settings, so an
 * accepted SET changes nothing.
 *
 * <p>Accepted: {@code application_name} (any), {@code client_min_messages} (any level),
 * {@code client_encoding} (UTF8), {@code DateStyle} (ISO), {@code extra_float_digits} (a number),
 * {@code search_path} (public), {@code standard_conforming_strings} (on), {@code TimeZone} (UTC).
 * Any other value of these is 0A000; any other name is 42704, as PostgreSQL reports an unknown
 * parameter.
 */
final class SessionSettings {
  /** A setting ShaleDB knows: which values it accepts and, for the error, what they are. */
  private record Setting(Predicate<String> accepts, String accepted) {}

  private static final Set<String> UTC = Set.of("utc", "etc/utc", "gmt", "z", "zulu", "+00:00", "0", "default", "local");

  private static final Map<String, Setting> SETTINGS = Map.of(
      "application_name", new Setting(value -> true, "any name"),
      "client_min_messages", new Setting(
          Set.of("debug5", "debug4", "debug3", "debug2", "debug1", "debug", "log", "info", "notice", "warning", "error",
              "default")::contains, "a message level"),
      "client_encoding", new Setting(Set.of("utf8", "utf-8", "unicode", "default")::contains, "UTF8"),
      "datestyle", new Setting(value -> value.equals("default") || value.startsWith("iso"), "ISO"),
      "extra_float_digits", new Setting(value -> value.matches("-?\\d{1,2}") || value.equals("default"), "a number"),
      "search_path", new Setting(Set.of("public", "\"public\"", "default")::contains, "public"),
      "standard_conforming_strings", new Setting(Set.of("on", "true", "default")::contains, "on"),
      "timezone", new Setting(UTC::contains, "UTC (ShaleDB's timestamps are in UTC)"));

  private SessionSettings() {}

  /**
   * Checks that {@code statement} sets a setting ShaleDB knows to a value it already follows.
   *
   * @throws ShaleException 42704 for an unknown setting, 0A000 for a value ShaleDB cannot follow
   *     or a scope other than the session (ALTER SYSTEM)
   */
  static void check(SqlSetOption statement) {
    String scope = statement.getScope();
    if (scope != null && !scope.equalsIgnoreCase("SESSION")) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED, "ShaleDB has no " + scope + " settings");
    }
    String name = String.join(".", statement.getName().names);
    if (name.equalsIgnoreCase("ALL") && statement.getValue() == null) {
      return; // RESET ALL
    }
    Setting setting = SETTINGS.get(name.toLowerCase(Locale.ROOT));
    if (setting == null) {
      throw new ShaleException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }
    SqlNode value = statement.getValue();
    if (value == null) {
      return; // RESET name: back to the default, which is what ShaleDB does
    }
    String text = valueText(value).toLowerCase(Locale.ROOT);
    if (!setting.accepts().test(text)) {
      throw new ShaleException(SqlState.FEATURE_NOT_SUPPORTED,
          "ShaleDB does not support " + name + " = " + valueText(value) + "; it accepts " + setting.accepted());
    }
  }

  private static String valueText(SqlNode value) {
    if (value instanceof SqlLiteral literal) {
      Object text = literal.toValue();
      return text == null ? "null" : text.toString().strip();
    }
    if (value instanceof SqlIdentifier identifier) {
      return String.join(".", identifier.names);
    }
    return value.toString();
  }
}
