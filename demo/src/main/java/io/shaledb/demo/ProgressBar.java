package io.shaledb.demo;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place with carriage returns. */
final class ProgressBar {
  private static final int WIDTH = 40;
  private final PrintStream out;
  private final String label;
  private final long total;
  private long done;
  private int drawnPercent = -1;

  ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  void advance(long steps) {
    done = Math.min(total, done + steps);
    int percent = (int) (done * 100 / total);
    if (percent != drawnPercent) {
      drawnPercent = percent;
      int filled = percent * WIDTH / 100;
      out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% "
          + done + "/" + total);
      out.flush();
    }
  }

  void finish() {
    out.println();
  }
}
