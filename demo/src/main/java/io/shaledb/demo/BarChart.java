package io.shaledb.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;

/** A horizontal bar chart drawn as inline SVG on the server: no script, nothing loaded from elsewhere. */
final class BarChart {
  /** One bar: its label and its (non-negative) value. */
  record Bar(String label, BigDecimal value) {}

  private static final int WIDTH = 720;
  private static final int LABEL_WIDTH = 200;
  private static final int VALUE_WIDTH = 100;
  private static final int ROW_HEIGHT = 28;
  private static final int BAR_HEIGHT = 18;

  private BarChart() {}

  /** The chart of {@code bars} in the order given, titled {@code title} for screen readers and tooltips. */
  static Html svg(String title, List<Bar> bars) {
    BigDecimal max = bars.stream().map(Bar::value).reduce(BigDecimal.ZERO, BigDecimal::max);
    int plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    int height = Math.max(1, bars.size()) * ROW_HEIGHT;
    Html rows = IntStream.range(0, bars.size()).mapToObj(i -> {
      Bar bar = bars.get(i);
      int length = max.signum() == 0 ? 0
          : bar.value().multiply(BigDecimal.valueOf(plotWidth)).divide(max, java.math.RoundingMode.HALF_UP).intValue();
      int y = i * ROW_HEIGHT;
      return Html.of("<g class=\"bar\"><title>%s: %s</title>"
          + "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>"
          + "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"></rect>"
          + "<text x=\"%s\" y=\"%s\">%s</text></g>",
          bar.label(), Money.format(bar.value()),
          LABEL_WIDTH - 8, y + 18, shortened(bar.label()),
          LABEL_WIDTH, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, Math.max(length, 1), BAR_HEIGHT,
          LABEL_WIDTH + length + 6, y + 18, Money.format(bar.value()));
    }).collect(Html.joining());
    return Html.of("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %s %s\" "
        + "width=\"%s\" height=\"%s\" role=\"img\" aria-label=\"%s\"><title>%s</title>%s</svg>",
        WIDTH, height, WIDTH, height, title, title, rows);
  }

  private static String shortened(String label) {
    return label.length() <= 26 ? label : label.substring(0, 25) + "…";
  }
}
