package io.shaledb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void valuesAreEscapedAndHtmlIsKept() {
    Html link = Html.of("<a href=\"/p/%s\">%s</a>", "1\"><script>", "Tom & Jerry's <b>");
    assertEquals("<a href=\"/p/1&quot;&gt;&lt;script&gt;\">Tom &amp; Jerry&#39;s &lt;b&gt;</a>", link.toString());
    assertEquals("<li><a href=\"/p/1&quot;&gt;&lt;script&gt;\">Tom &amp; Jerry&#39;s &lt;b&gt;</a></li>",
        Html.of("<li>%s</li>", link).toString());
    assertEquals("<p>42 </p>", Html.of("<p>%s %s</p>", 42, null).toString());
    assertEquals("a%b", Html.of("%s", "a%b").toString(), "a % in a value is just text");
  }

  @Test
  void templatesAndArgumentsMustMatch() {
    assertThrows(IllegalArgumentException.class, () -> Html.of("<p>%s %s</p>", "one"));
    assertThrows(IllegalArgumentException.class, () -> Html.of("<p>%s</p>", "one", "two"));
  }

  @Test
  void piecesJoin() {
    assertEquals("<i>&lt;</i><i>&gt;</i>",
        Stream.of("<", ">").map(s -> Html.of("<i>%s</i>", s)).collect(Html.joining()).toString());
  }
}
