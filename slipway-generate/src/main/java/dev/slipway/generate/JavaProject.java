package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Maven or Gradle project a service is built from, found beside the model without running either
 * tool. The module is, in order: the directory of the jar {@code run} starts ({@code java -jar
 * api/target/api.jar} → {@code api}, also {@code build/libs/}), the directory named after the service,
 * the directory of a build file among {@code build.inputs}, the model's own directory.
 *
 * @param tool       Maven or Gradle
 * @param module     the module directory relative to the model ({@code ""} for the model's directory)
 * @param buildFile  {@code api/pom.xml}, {@code build.gradle.kts}, …
 * @param pom        the module's pom (Maven only), else null
 * @param reactor    Maven: the model's directory holds an aggregator pom listing the module, so builds
 *                   run from there with {@code -pl MODULE -am}
 * @param wrapper    {@code ./mvnw} or {@code ./gradlew} in the model's directory, or null
 * @param release    the Java release it compiles for, 0 if the build does not say
 * @param springBoot the Spring Boot version ({@code ""} when it uses Boot but the version is not
 *                   written in the build), or null without Spring Boot
 */
record JavaProject(Tool tool, String module, String buildFile, PomFile pom, boolean reactor, String wrapper,
    int release, String springBoot) {

  enum Tool { MAVEN, GRADLE }

  private static final List<String> GRADLE_FILES = List.of("build.gradle.kts", "build.gradle");
  // The plugin id is followed by its closing quote; dependency coordinates by a colon.
  private static final Pattern BOOT_PLUGIN = Pattern.compile(
      "org\\.springframework\\.boot[\"']\\s*\\)?(?:\\s*version\\s*\\(?\\s*[\"']([^\"']+)[\"'])?");
  private static final Pattern GRADLE_RELEASE = Pattern.compile(
      "(?:JavaLanguageVersion\\.of\\(\\s*(\\d+)\\s*\\))|(?:JavaVersion\\.VERSION_(?:1_)?(\\d+))"
          + "|(?:(?:source|target)Compatibility\\s*=\\s*[\"']?(?:1\\.)?(\\d+))|(?:jvmToolchain\\(\\s*(\\d+)\\s*\\))");

  /** The Java runtime its image needs (see {@link JavaVersions#runtime}). */
  int runtime() {
    return JavaVersions.runtime(release);
  }

  /** The project behind {@code service}, if it is built with Maven or Gradle. */
  static Optional<JavaProject> of(AppSpec app, ServiceSpec service) {
    Path base = app.baseDir();
    for (String dir : candidateModules(app, service)) {
      Optional<JavaProject> p = at(base, dir, service);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** Where to look, most specific first, without duplicates. */
  private static List<String> candidateModules(AppSpec app, ServiceSpec service) {
    List<String> dirs = new ArrayList<>();
    String jar = RunCommand.parse(service).jar();
    if (jar != null) {
      for (String marker : List.of("target/", "build/libs/")) {
        int at = jar.indexOf("/" + marker);
        if (jar.startsWith(marker)) {
          dirs.add("");
        } else if (at > 0) {
          dirs.add(jar.substring(0, at));
        }
      }
    }
    dirs.add(service.name());
    if (service.build() != null) {
      for (String input : service.build().inputs()) {
        String name = input.contains("/") ? input.substring(input.lastIndexOf('/') + 1) : input;
        // A build file other services list too belongs to a shared module (a library), not to this one.
        boolean shared = app.services().values().stream().anyMatch(o -> o != service && o.build() != null
            && o.build().inputs().contains(input));
        if ((name.equals("pom.xml") || GRADLE_FILES.contains(name)) && !shared) {
          String dir = input.contains("/") ? input.substring(0, input.lastIndexOf('/')) : "";
          if (!dir.isEmpty()) {
            dirs.add(dir);
          }
        }
      }
    }
    dirs.add("");
    return dirs.stream().map(JavaProject::normalize).distinct().toList();
  }

  private static Optional<JavaProject> at(Path base, String module, ServiceSpec service) {
    Path dir = module.isEmpty() ? base : base.resolve(module);
    String command = service.build() == null ? "" : service.build().command();
    boolean saysGradle = command.contains("gradle") && !command.contains("mvn");
    Optional<PomFile> pom = saysGradle ? Optional.empty() : PomFile.read(dir.resolve("pom.xml"));
    if (pom.isPresent()) {
      Optional<PomFile> root = module.isEmpty() ? Optional.empty() : PomFile.read(base.resolve("pom.xml"));
      boolean reactor = root.map(r -> r.modules().stream().map(JavaProject::normalize).anyMatch(module::equals))
          .orElse(false);
      int release = pom.get().javaRelease();
      if (release == 0 && root.isPresent()) {
        release = root.get().javaRelease();
      }
      String boot = pom.get().springBootVersion();
      if ("".equals(boot) && root.isPresent()) {
        boot = root.get().bootParentVersion() != null ? root.get().bootParentVersion() : boot;
      }
      String wrapper = Files.isRegularFile(base.resolve("mvnw")) ? "./mvnw" : null;
      return Optional.of(new JavaProject(Tool.MAVEN, module, join(module, "pom.xml"), pom.get(), reactor, wrapper,
          release, boot));
    }
    for (String file : GRADLE_FILES) {
      Path build = dir.resolve(file);
      if (Files.isRegularFile(build)) {
        String text = read(build);
        String boot = null;
        Matcher m = BOOT_PLUGIN.matcher(text);
        while (m.find()) {
          boot = m.group(1) != null ? m.group(1) : boot == null ? "" : boot;
        }
        int release = 0;
        Matcher r = GRADLE_RELEASE.matcher(text);
        if (r.find()) {
          for (int g = 1; g <= r.groupCount() && release == 0; g++) {
            release = JavaVersions.major(r.group(g));
          }
        }
        String wrapper = Files.isRegularFile(base.resolve("gradlew")) ? "./gradlew" : null;
        return Optional.of(new JavaProject(Tool.GRADLE, module, join(module, file), null, false, wrapper, release,
            boot));
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  static String join(String dir, String file) {
    return dir.isEmpty() ? file : dir + "/" + file;
  }

  private static String normalize(String dir) {
    String d = stripSlash(dir.replace('\\', '/'));
    while (d.startsWith("./")) {
      d = d.substring(2);
    }
    return d.equals(".") ? "" : d;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
