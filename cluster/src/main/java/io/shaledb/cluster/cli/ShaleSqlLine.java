package io.shaledb.cluster.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import sqlline.SqlLine;

/**
 * SQLLine, the shell of {@code shaledb sql}, that also leaves on the words people type to leave a
 * SQL shell: {@code quit}, {@code exit} and psql's {@code \q} (SQLLine itself knows only {@code
 * !quit} and would wait for a semicolon after them, as for SQL).
 */
final class ShaleSqlLine extends SqlLine {
  private static final Set<String> QUIT_WORDS = Set.of("quit", "exit", "\\q");

  /** Whether {@code line} asks to leave: a quit word alone, in any case, with or without a semicolon. */
  static boolean isQuit(String line) {
    String word = line.strip().toLowerCase(Locale.ROOT);
    if (word.endsWith(";")) {
      word = word.substring(0, word.length() - 1).strip();
    }
    return QUIT_WORDS.contains(word);
  }

  /** The reader whose accept-line already knows the quit words; SQLLine builds one and then reuses it. */
  private LineReader extended;

  @Override
  public LineReader getConsoleReader(InputStream inputStream, History fileHistory) throws IOException {
    LineReader reader = super.getConsoleReader(inputStream, fileHistory);
    if (reader != extended) {
      extended = reader;
      // Turn a quit word into SQLLine's own command before the line is accepted, so SQLLine's
      // parser sees a complete command instead of the start of a statement.
      Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
      reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
        if (isQuit(reader.getBuffer().toString())) {
          reader.getBuffer().clear();
          reader.getBuffer().write("!quit");
        }
        return accept.apply();
      });
    }
    return reader;
  }
}
