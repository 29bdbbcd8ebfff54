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

  private SecretNames() {}

  public static boolean looksSecret(String variableName) {
    return SECRET_NAME.matcher(variableName).matches();
  }

  /** A non-empty value written literally (no reference) under a name that holds secrets. */
  public static boolean isLiteralSecret(String variableName, Template value) {
    return value.references().isEmpty() && !value.raw().isEmpty() && looksSecret(variableName);
  }
}
