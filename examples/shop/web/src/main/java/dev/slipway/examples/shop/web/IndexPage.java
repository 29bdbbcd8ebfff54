package dev.slipway.examples.shop.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The single HTML page (with inline CSS and JavaScript, no external assets), rendered once at
 * start from the {@code web/index.html} template.
 */
public final class IndexPage {

  private IndexPage() {}

  /** The page with this instance's version filled in. */
  public static String render(String version) throws IOException {
    String template;
    try (InputStream in = IndexPage.class.getClassLoader().getResourceAsStream("web/index.html")) {
      if (in == null) {
        throw new IOException("web/index.html missing from the classpath");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return template.replace("{{version}}", escape(version));
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<': out.append("&lt;"); break;
        case '>': out.append("&gt;"); break;
        case '&': out.append("&amp;"); break;
        case '"': out.append("&quot;"); break;
        case '\'': out.append("&#39;"); break;
        default: out.append(c);
      }
    }
    return out.toString();
  }
}
