package dev.slipway.examples.shop.common;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the services: encoding maps, lists and scalars, and parsing one flat
 * object (string, number, boolean and null members) such as a request body.
 *
 * <p>A JSON library would be the third-party dependency this example is meant to do without;
 * the services only ever exchange flat objects and arrays of them.
 */
public final class Json {

  private Json() {}

  /** An ordered map from alternating keys and values, for building response objects inline. */
  public static Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /**
   * Encodes a value: {@link Map} (string keys), {@link Iterable}, {@link CharSequence},
   * {@link Number}, {@link Boolean} or null; anything else is encoded as its string form.
   */
  public static String encode(Object value) {
    StringBuilder out = new StringBuilder(64);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      // JSON has no NaN or Infinity.
      out.append(Double.isFinite(d) ? value.toString() : "null");
    } else if (value instanceof Map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = ((Map<?, ?>) value).entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        writeString(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
        if (entries.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (value instanceof Iterable) {
      out.append('[');
      Iterator<?> items = ((Iterable<?>) value).iterator();
      while (items.hasNext()) {
        write(out, items.next());
        if (items.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /**
   * Parses a single flat JSON object. Member values become {@link String}, {@link Long} (integers
   * that fit), {@link Double} (other numbers), {@link Boolean} or null.
   *
   * @throws JsonException when the text is not JSON, not an object, or has nested values
   */
  public static Map<String, Object> parseObject(String text) {
    return new Parser(text).document();
  }

  /** The input is not a flat JSON object; the message says where and why. */
  public static final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  /** Recursive descent over one object; positions in messages are 0-based character offsets. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> document() {
      skipSpace();
      Map<String, Object> result = object();
      skipSpace();
      if (pos != s.length()) {
        throw fail("unexpected text after the object");
      }
      return result;
    }

    private Map<String, Object> object() {
      expect('{');
      Map<String, Object> members = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        return members;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        if (members.put(key, value()) != null) {
          throw fail("duplicate member \"" + key + "\"");
        }
        skipSpace();
        char c = next();
        if (c == '}') {
          return members;
        }
        if (c != ',') {
          throw fail("expected ',' or '}'");
        }
      }
    }

    private Object value() {
      char c = peek();
      switch (c) {
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        case '{': case '[': throw fail("nested objects and arrays are not supported");
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw fail("expected a value");
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw fail("expected " + word);
      }
      pos += word.length();
      return value;
    }

    private Object number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      boolean integral = true;
      digits();
      if (pos < s.length() && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        digits();
      }
      String text = s.substring(start, pos);
      if (integral) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooBig) {
          // falls through to a double, which callers wanting an integer reject
        }
      }
      return Double.parseDouble(text);
    }

    private void digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == start) {
        throw fail("expected a digit");
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw fail("control character in string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"': case '\\': case '/': out.append(e); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'u': out.append(unicodeEscape()); break;
          default: throw fail("bad escape \\" + e);
        }
      }
    }

    private char unicodeEscape() {
      if (pos + 4 > s.length()) {
        throw fail("truncated \\u escape");
      }
      try {
        char c = (char) Integer.parseInt(s.substring(pos, pos + 4), 16);
        pos += 4;
        return c;
      } catch (NumberFormatException e) {
        throw fail("bad \\u escape");
      }
    }

    private void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private void expect(char c) {
      if (next() != c) {
        pos--;
        throw fail("expected '" + c + "'");
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw fail("unexpected end of input");
      }
      return s.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private JsonException fail(String why) {
      return new JsonException(why + " at offset " + pos);
    }
  }
}
