package dev.slipway.kubernetes;

import dev.slipway.model.ServiceSpec;
import java.util.regex.Pattern;

/**
 * Which image a release runs: {@code --image} (a whole reference) wins; else the model's {@code image}
 * with {@code --image-tag} as its tag; else the model's image as written. An environment with
 * {@code requireDigests: true} accepts only references pinned by digest ({@code name@sha256:…}), since a
 * tag can be moved to other bytes after the release was judged.
 */
final class Images {
  private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private Images() {}

  /**
   * @param s              the service (the environment's overlay applied)
   * @param imageTag       {@code --image-tag}, or null
   * @param image          {@code --image}, or null
   * @param requireDigests the environment's {@code requireDigests}
   * @return the image reference to deploy
   * @throws KubernetesException (exit 2) for a service without an image, a malformed tag, or a mutable
   *                             reference where digests are required
   */
  static String resolve(ServiceSpec s, String imageTag, String image, boolean requireDigests)
      throws KubernetesException {
    String ref;
    if (image != null && !image.isBlank()) {
      ref = image.strip();
    } else if (s.image() == null) {
      throw bad("service `" + s.name() + "` has no `image:`, so it cannot run on a cluster",
          "add `image: ghcr.io/acme/" + s.name() + "` to it in the model, or pass `--image REFERENCE`");
    } else if (imageTag != null && !imageTag.isBlank()) {
      if (!TAG.matcher(imageTag).matches()) {
        throw bad("`--image-tag " + imageTag + "` is not a valid image tag",
            "a tag is up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`");
      }
      ref = withTag(s.image(), imageTag);
    } else {
      ref = s.image();
    }
    if (requireDigests && !DIGEST.matcher(ref).find()) {
      throw bad("`" + ref + "` for service `" + s.name() + "` is not pinned by digest, and this environment has "
          + "`requireDigests: true` (a tag can later point at other bytes)",
          "pass the digest your build pushed, e.g. `--image " + repository(ref) + "@sha256:…` "
              + "(`docker buildx imagetools inspect " + ref + "` prints it)");
    }
    return ref;
  }

  /**
   * {@code reference} with its tag replaced by {@code tag}; a registry's {@code host:port} and the path are
   * kept, and a reference pinned by digest is kept as it is (the digest says exactly what runs).
   */
  static String withTag(String reference, String tag) {
    if (reference.contains("@sha256:")) {
      return reference;
    }
    return repository(reference) + ":" + tag;
  }

  /** The reference without its tag or digest: {@code registry:5000/acme/api:1.0} → {@code registry:5000/acme/api}. */
  static String repository(String reference) {
    int at = reference.indexOf('@');
    String r = at >= 0 ? reference.substring(0, at) : reference;
    int slash = r.lastIndexOf('/');
    int colon = r.indexOf(':', slash + 1);
    return colon >= 0 ? r.substring(0, colon) : r;
  }

  private static KubernetesException bad(String problem, String fix) {
    return new KubernetesException(problem, null, null, fix, KubernetesException.BAD_INPUT);
  }
}
