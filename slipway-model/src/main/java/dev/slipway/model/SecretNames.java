package dev.slipway.model;

import java.util.regex.Pattern;

/**
 * Which environment variable names hold secrets even when the model writes their value literally
 * ({@code ADMIN_PASSWORD: hunter2}): such values are masked in output and never written to generated
 * files in clear text.
 */
public final class SecretNames {
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE|CREDENTIAL).*");

  /** {@code scheme://user:PASSWORD@}: the password of a URL's user info (group 2). */
  private static final Pattern URL_PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@?#:]*:)([^/?#@]*)@");

  private SecretNames() {}

  /**
   * Whether a URL written in the model carries a literal password in its user info ({@code
   * postgres://u:p@host/db}); a password that is a reference ({@code ${secrets.db}}) is not literal.
   */
  public static boolean urlHasPassword(String url) {
    var m = URL_PASSWORD.matcher(url.strip());
    return m.find() && !m.group(2).isEmpty() && !m.group(2).contains("${");
  }

  /** The URL with the password of its user info replaced by {@code ****}. */
  public static String maskUrlPassword(String url) {
    return urlHasPassword(url) ? URL_PASSWORD.matcher(url.strip()).replaceFirst("$1****@") : url;
  }

  public static boolean looksSecret(String variableName) {
    return SECRET_NAME.matcher(variableName).matches();
  }

  /** A non-empty value written literally (no reference) under a name that holds secrets. */
  public static boolean isLiteralSecret(String variableName, Template value) {
    return value.references().isEmpty() && !value.raw().isEmpty() && looksSecret(variableName);
  }
}
