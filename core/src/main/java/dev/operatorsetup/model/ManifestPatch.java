package dev.operatorsetup.model;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What to change in the operator's installer before applying it: the role ARN annotation on exactly
 * the operator's ServiceAccount, the namespace, and image overrides.
 */
@Value.Immutable
@ValueStyle
public interface ManifestPatch {
  /** The annotation the EKS pod identity webhook reads. */
  String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

  /** The placeholder namespaced installers use. */
  String PLACEHOLDER_NAMESPACE = "PLACEHOLDER-NAMESPACE";

  /** The sidecar image of the legacy installer, removed from gcr.io. */
  String DEAD_RBAC_PROXY = "gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0";

  /**
   * Its default replacement: the same release from the project's own registry (the gcr.io copy was
   * a mirror of it), so flags and behaviour stay the same.
   */
  String LIVE_RBAC_PROXY = "quay.io/brancz/kube-rbac-proxy:v0.4.0";

  Arn roleArn();

  /** The ServiceAccount to annotate, in the namespace the operator is installed into. */
  ServiceAccountRef serviceAccount();

  /** Image to replacement image; applied to every container and init container. */
  Map<String, String> imageOverrides();

  /** Returns the image overrides with the dead kube-rbac-proxy default added unless overridden. */
  default Map<String, String> effectiveImageOverrides() {
    java.util.LinkedHashMap<String, String> all = new java.util.LinkedHashMap<>();
    all.put(DEAD_RBAC_PROXY, LIVE_RBAC_PROXY);
    all.putAll(imageOverrides());
    return all;
  }

  /** The namespace to install into; same as the ServiceAccount's. */
  default String namespace() {
    return serviceAccount().namespace();
  }

  /** Where the patched manifest is also written, if anywhere. */
  Optional<String> outputFile();

  @Value.Check
  default void check() {
    Arn.parseRole("role ARN", roleArn().toString());
    for (Map.Entry<String, String> e : imageOverrides().entrySet()) {
      for (String image : new String[] {e.getKey(), e.getValue()}) {
        if (image.length() > 255 || !Rules.IMAGE.matcher(image).matches()) {
          throw new InvalidConfigurationException(
              "image override",
              e.getKey() + "=" + e.getValue(),
              "both sides must be image references such as registry/repo:tag",
              "write OLD=NEW, e.g. --image " + DEAD_RBAC_PROXY + "=" + LIVE_RBAC_PROXY);
        }
      }
    }
  }

  class Builder extends ImmutableManifestPatch.Builder {}
}
