package io.shaledb.demo;

import java.util.stream.Collector;
import java.util.stream.Collectors;

/**
 * A piece of HTML that is safe to send: made only from markup written in this code and escaped values. Every
 * value put into a template is escaped unless it already is {@code Html}, so text from users or the database can
 * never become markup.
 */
final class Html {
  static final Html EMPTY = new Html("");

  private final String markup;

  private Html(String markup) {
    this.markup = markup;
  }

  /**
   * {@code template} (markup written in this code, never built from data) with each {@code %s} replaced by the
   * next argument: {@code Html} as it is, anything else as escaped text ({@code null} as nothing).
   */
  static Html of(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 16 * args.length);
    int from = 0;
    int used = 0;
    for (int at = template.indexOf("%s"); at >= 0; at = template.indexOf("%s", from)) {
      if (used == args.length) {
        throw new IllegalArgumentException("more %s than arguments in: " + template);
      }
      out.append(template, from, at).append(render(args[used++]));
      from = at + 2;
    }
    if (used != args.length) {
      throw new IllegalArgumentException("more arguments than %s in: " + template);
    }
    return new Html(out.append(template, from, template.length()).toString());
  }

  /** {@code value} as escaped text. */
  static Html text(Object value) {
    return new Html(render(value));
  }

  /** Concatenates the pieces. */
  static Collector<Html, ?, Html> joining() {
    return Collectors.collectingAndThen(Collectors.mapping(h -> h.markup, Collectors.joining()), Html::new);
  }

  private static String render(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Html) {
      return ((Html) value).markup;
    }
    return escape(value.toString());
  }

  /** {@code text} with the five characters that are special in HTML text and attribute values replaced. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return markup;
  }
}
