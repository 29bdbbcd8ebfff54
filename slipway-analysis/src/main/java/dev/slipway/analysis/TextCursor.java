package dev.slipway.analysis;

/** A position in one line of Prometheus text, and the tokens read from there. */
final class TextCursor {
  private final String s;
  private int pos;

  TextCursor(String s) {
    this.s = s;
  }

  /** 1-based, for messages. */
  int column() {
    return pos + 1;
  }

  boolean end() {
    return pos >= s.length();
  }

  char peek() {
    return s.charAt(pos);
  }

  void next() {
    pos++;
  }

  /** Skips spaces and tabs; whether there were any. */
  boolean spaces() {
    int start = pos;
    while (!end() && (peek() == ' ' || peek() == '\t')) {
      pos++;
    }
    return pos > start;
  }

  void expect(char ch) {
    if (end() || peek() != ch) {
      throw new IllegalArgumentException("expected `" + ch + "` at column " + (pos + 1));
    }
    pos++;
  }

  /** A metric or label name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; empty when none starts here. */
  String name() {
    int start = pos;
    while (!end() && (Character.isLetter(peek()) && peek() < 128 || peek() == '_' || peek() == ':'
        || (pos > start && peek() >= '0' && peek() <= '9'))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  /** The rest of a quoted label value, after its opening quote; {@code \\}, {@code \"} and {@code \n} unescaped. */
  String quoted() {
    StringBuilder out = new StringBuilder();
    while (!end()) {
      char ch = s.charAt(pos++);
      if (ch == '"') {
        return out.toString();
      }
      if (ch == '\\' && !end()) {
        char e = s.charAt(pos++);
        out.append(switch (e) {
          case 'n' -> "\n";
          case '\\' -> "\\";
          case '"' -> "\"";
          default -> "\\" + e;
        });
      } else {
        out.append(ch);
      }
    }
    throw new IllegalArgumentException("unterminated label value");
  }

  String token() {
    int start = pos;
    while (!end() && peek() != ' ' && peek() != '\t') {
      pos++;
    }
    return s.substring(start, pos);
  }
}
