package dev.slipway.examples.shop.common;

/** URL helpers that keep credentials out of logs. */
public final class Urls {

  private Urls() {}

  /**
   * The URL without user info and query string, safe to log: {@code redis://u:p@h:1/0} becomes
   * {@code redis://h:1/0} and {@code jdbc:postgresql://h/db?password=x} becomes
   * {@code jdbc:postgresql://h/db}.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String result = url;
    int query = result.indexOf('?');
    if (query >= 0) {
      result = result.substring(0, query);
    }
    int authority = result.indexOf("://");
    if (authority >= 0) {
      int hostStart = authority + 3;
      int pathStart = result.indexOf('/', hostStart);
      int hostEnd = pathStart < 0 ? result.length() : pathStart;
      // lastIndexOf: a password may itself contain '@' when it was not percent-encoded.
      int at = result.lastIndexOf('@', hostEnd - 1);
      if (at >= hostStart) {
        result = result.substring(0, hostStart) + result.substring(at + 1);
      }
    }
    return result;
  }
}
