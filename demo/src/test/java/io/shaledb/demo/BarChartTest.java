package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {
  @Test
  void barsAreProportionalAndLabelsEscaped() {
    String svg = BarChart.svg("Revenue", List.of(new BarChart.Bar("<b>best</b>", new BigDecimal("200.00")),
        new BarChart.Bar("half", new BigDecimal("100.00")), new BarChart.Bar("none", BigDecimal.ZERO))).toString();
    assertTrue(svg.startsWith("<svg class=\"chart\""));
    assertTrue(svg.contains("width=\"420\" height=\"18\""), svg);
    assertTrue(svg.contains("width=\"210\" height=\"18\""), svg);
    assertTrue(svg.contains("width=\"1\" height=\"18\""), "a zero still shows a hairline");
    assertTrue(svg.contains("&lt;b&gt;best&lt;/b&gt;"));
    assertFalse(svg.contains("<b>"));
    assertTrue(svg.contains("$200.00"));
  }

  @Test
  void anEmptyChartIsStillAnSvg() {
    String svg = BarChart.svg("Revenue", List.of()).toString();
    assertTrue(svg.contains("<title>Revenue</title>") && svg.endsWith("</svg>"));
  }
}
