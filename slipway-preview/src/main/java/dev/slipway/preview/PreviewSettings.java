package dev.slipway.preview;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a registry of previews behaves and how it starts a local preview's control plane. This module
 * cannot link against {@code slipway-server}, so the control plane is named as a command: the java
 * binary, a class path holding {@code slipway-server}, and {@link #CONTROL_PLANE_MAIN}.
 *
 * @param quota        most previews the registry holds at once
 * @param defaultTtl   a preview's time to live when its request names none
 * @param javaBinary   the java executable that runs the control plane
 * @param classPath    a class path holding {@code slipway-server} and its dependencies
 * @param mainClass    the control plane's main class, normally {@link #CONTROL_PLANE_MAIN}
 * @param jvmOptions   options for the control plane's JVM
 * @param kubeconfig   the kubeconfig for kubernetes previews; null: {@code $KUBECONFIG} or {@code ~/.kube/config}
 */
public record PreviewSettings(int quota, Duration defaultTtl, String javaBinary, String classPath, String mainClass,
    List<String> jvmOptions, Path kubeconfig) {
  public static final int DEFAULT_QUOTA = 5;
  public static final Duration DEFAULT_TTL = Duration.ofHours(48);
  public static final String CONTROL_PLANE_MAIN = "dev.slipway.server.ControlPlaneMain";
  /** The environment variable the CLI reads the quota from. */
  public static final String QUOTA_VARIABLE = "SLIPWAY_PREVIEW_QUOTA";
  /** The control plane's JVM options, as {@code slipway up} starts it. */
  public static final List<String> CONTROL_PLANE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xmx256m", "-Xss512k", "-XX:-UsePerfData", "-Dslipway.role=control-plane");

  public PreviewSettings {
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    Objects.requireNonNull(javaBinary, "javaBinary");
    Objects.requireNonNull(classPath, "classPath");
    Objects.requireNonNull(mainClass, "mainClass");
    jvmOptions = List.copyOf(jvmOptions);
    if (quota < 1) {
      throw new IllegalArgumentException("the preview quota must be at least 1, not " + quota);
    }
  }

  /** The defaults (quota 5, TTL 48h), the control plane run from {@code classPath} with {@code javaBinary}. */
  public static PreviewSettings defaults(String javaBinary, String classPath) {
    return new PreviewSettings(DEFAULT_QUOTA, DEFAULT_TTL, javaBinary, classPath, CONTROL_PLANE_MAIN,
        CONTROL_PLANE_JVM_OPTIONS, null);
  }

  /** The defaults, the control plane run from this JVM's own binary and class path. */
  public static PreviewSettings ofThisJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return defaults(java, System.getProperty("java.class.path"));
  }

  public PreviewSettings withQuota(int quota) {
    return new PreviewSettings(quota, defaultTtl, javaBinary, classPath, mainClass, jvmOptions, kubeconfig);
  }

  public PreviewSettings withDefaultTtl(Duration ttl) {
    return new PreviewSettings(quota, ttl, javaBinary, classPath, mainClass, jvmOptions, kubeconfig);
  }

  public PreviewSettings withKubeconfig(Path kubeconfig) {
    return new PreviewSettings(quota, defaultTtl, javaBinary, classPath, mainClass, jvmOptions, kubeconfig);
  }
}
