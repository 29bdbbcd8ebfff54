package dev.slipway.generate;

/**
 * Java releases and the images that build and run them. Bases are pinned to a Java feature release
 * and an OS release ({@code 21-jre-noble}), not to a patch: patch updates carry the security fixes
 * the CI workflow's Trivy scan insists on, and a rebuild picks them up.
 */
final class JavaVersions {
  /** What images are built for when the build names no release; also the floor (older releases run on it). */
  static final int DEFAULT = 21;

  private JavaVersions() {}

  /** {@code "21"}, {@code "1.8"}, {@code "17.0.2"} → 21, 8, 17; 0 for anything else (including {@code ${…}}). */
  static int major(String v) {
    if (v == null) {
      return 0;
    }
    String s = v.strip();
    if (s.startsWith("1.")) {
      s = s.substring(2);
    }
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    if (end == 0 || end > 3) {
      return 0;
    }
    return Integer.parseInt(s.substring(0, end));
  }

  /**
   * The Java feature release to put in images for a build compiled for {@code release}: Temurin's
   * long-term releases, at least {@link #DEFAULT}, so an image runs a supported JRE.
   */
  static int runtime(int release) {
    if (release <= DEFAULT) {
      return DEFAULT;
    }
    return release <= 25 ? 25 : release;
  }

  static String jre(int runtime) {
    return "eclipse-temurin:" + runtime + "-jre-noble";
  }

  static String jdk(int runtime) {
    return "eclipse-temurin:" + runtime + "-jdk-noble";
  }

  /** Maven on the JDK, for builds without a Maven wrapper. */
  static String maven(int runtime) {
    return "maven:3.9-eclipse-temurin-" + runtime + "-noble";
  }

  /** Gradle on the JDK, for builds without a Gradle wrapper (the Gradle version then floats; a wrapper pins it). */
  static String gradle(int runtime) {
    return "gradle:jdk" + runtime + "-noble";
  }
}
