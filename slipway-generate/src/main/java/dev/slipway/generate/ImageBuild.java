package dev.slipway.generate;

/**
 * How CI builds one service's image, as {@link ImageBuilds#decide} chose it. {@link #how()} is what
 * the generate report says ({@code Jib (Maven project api/pom.xml, no Dockerfile found)}).
 */
sealed interface ImageBuild {

  String service();

  /** The way and the reason, for the report. */
  String how();

  /** The service's own Dockerfile, relative to the model's directory (the build context). */
  record OwnDockerfile(String service, String dockerfile, String foundBy) implements ImageBuild {
    @Override
    public String how() {
      return "Dockerfile " + dockerfile + " (" + foundBy + ")";
    }
  }

  /**
   * Jib from the Maven command line: no Dockerfile, no Docker build, the pom left as it is.
   *
   * @param maven the Maven command up to the image name and tags, which the workflow appends
   */
  record JibBuild(String service, JavaProject project, String maven, String why) implements ImageBuild {
    @Override
    public String how() {
      return "Jib (" + why + ")";
    }
  }

  /**
   * A Dockerfile Slipway writes, with its BuildKit ignore file beside it.
   *
   * @param dockerfile where it is written, relative to the output directory ({@code docker/api/Dockerfile})
   */
  record GeneratedDockerfile(String service, String dockerfile, String contents, String ignore, String why)
      implements ImageBuild {
    @Override
    public String how() {
      return "generated " + dockerfile + " (" + why + ")";
    }
  }

  /** Nothing to build the image from: CI expects {@code expected}, which the user has to write. */
  record MissingImage(String service, String expected, String why) implements ImageBuild {
    @Override
    public String how() {
      return "expects " + expected + ", which does not exist (" + why + ")";
    }
  }
}
