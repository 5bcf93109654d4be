package io.shaledb.cluster.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.widget.AutopairWidgets;
import org.junit.jupiter.api.Test;

/**
 * Why {@code shaledb sql} starts SQLLine with {@code --autoPairing=false}: jline's quote pairing
 * (AutopairWidgets) counts the text after the cursor from a char offset as if it were a code point
 * offset, so after a character outside the BMP the closing quote is typed as a second one. When the
 * first test fails, jline has fixed it and the shell may pair quotes again.
 */
class QuotePairingTest {
  private static final String EMOJI = "\uD83D\uDE00";

  @Test
  void jlinePairingLeavesAStrayQuoteAfterAnEmoji() throws IOException {
    assertEquals("SELECT 'a" + EMOJI + "' AS v'", typed("SELECT 'a" + EMOJI + "' AS v", true));
  }

  @Test
  void jlinePairingIsRightWithoutCharactersOutsideTheBmp() throws IOException {
    assertEquals("SELECT 'a\u4e2d' AS v", typed("SELECT 'a\u4e2d' AS v", true));
  }

  @Test
  void withoutPairingTheLineIsWhatWasTyped() throws IOException {
    assertEquals("SELECT 'a" + EMOJI + "' AS v", typed("SELECT 'a" + EMOJI + "' AS v", false));
  }

  /** The line jline accepts after {@code keys} and Enter are typed, one key at a time, as on a terminal. */
  private static String typed(String keys, boolean pairQuotes) throws IOException {
    byte[] input = (keys + "\n").getBytes(StandardCharsets.UTF_8);
    try (Terminal terminal = TerminalBuilder.builder().dumb(true).system(false).encoding(StandardCharsets.UTF_8)
        .streams(new ByteArrayInputStream(input), new ByteArrayOutputStream()).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      if (pairQuotes) {
        new AutopairWidgets(reader).enable();
      }
      return reader.readLine();
    }
  }
}
