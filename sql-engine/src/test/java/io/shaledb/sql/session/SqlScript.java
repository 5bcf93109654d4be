package io.shaledb.sql.session;

import java.util.ArrayList;
import java.util.List;

/** Splits a SQL script into statements as a SQL shell does: on semicolons outside quotes and comments. */
final class SqlScript {
  private SqlScript() {}

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inString = false;
    boolean inIdentifier = false;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (!inString && !inIdentifier && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
        continue;
      }
      if (c == '\'' && !inIdentifier) {
        inString = !inString;
      } else if (c == '"' && !inString) {
        inIdentifier = !inIdentifier;
      }
      if (c == ';' && !inString && !inIdentifier) {
        addIfNotBlank(statements, current);
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    addIfNotBlank(statements, current);
    return statements;
  }

  private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
    String text = statement.toString().strip();
    if (!text.isEmpty()) {
      statements.add(text);
    }
  }
}
