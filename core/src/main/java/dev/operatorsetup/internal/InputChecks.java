package dev.operatorsetup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.targets.RenderInput;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, in every mode and before any port is opened, the inputs whose values cannot be checked
 * when they are set: the manifest is loaded and rendered for the ServiceAccount, image overrides
 * must name an image of it, and switches that only act on the cluster are refused with {@code
 * awsOnly()}. (The kubeconfig and context are checked by {@link Connections#open}.)
 */
final class InputChecks {
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");

  private InputChecks() {}

  /**
   * Returns the settings with the manifest loaded once, if it was given or images are overridden;
   * throws {@link InvalidConfigurationException} naming the first input that is wrong or does not
   * apply.
   *
   * @param manifestGiven whether the caller chose the manifest
   * @param conversionGiven whether the caller chose the CRD conversion
   */
  static Settings check(Settings s, boolean manifestGiven, boolean conversionGiven) {
    if (s.awsOnly()) {
      notWithAwsOnly("force conflicts", s.forceConflicts(), "forceConflicts() (--force-conflicts)");
      notWithAwsOnly(
          "remove finalizers", s.removeFinalizers(), "removeFinalizers() (--remove-finalizers)");
      notWithAwsOnly("CRD conversion", conversionGiven, "convertCrds(...)");
    }
    TargetInputs.check(s, manifestGiven);
    if (!s.target().usesManifest() || (!manifestGiven && s.imageOverrides().isEmpty())) {
      return s;
    }
    Manifest loaded = s.manifest().load();
    ManifestPatch patch =
        new ManifestPatch.Builder()
            .roleArn(
                Arn.parseRole(
                    "role ARN",
                    "arn:" + s.cluster().partition().id() + ":iam::000000000000:role/check"))
            .serviceAccount(s.serviceAccount())
            .putAllImageOverrides(s.imageOverrides())
            .build();
    s.target()
        .render(
            new RenderInput(
                Optional.of(loaded),
                patch,
                false,
                s.cluster().region(),
                s.chart(),
                Optional.empty()));
    checkImages(loaded, s.imageOverrides());
    return new Settings.Builder().from(s).manifest(() -> loaded).build();
  }

  private static void notWithAwsOnly(String field, boolean given, String option) {
    if (given) {
      throw new InvalidConfigurationException(
          field,
          "true",
          "it acts on the cluster, but awsOnly() (--aws-only) never connects to Kubernetes",
          "leave out " + option + ", or leave out awsOnly() (--aws-only)");
    }
  }

  /** Every overridden image must be the image of a container of the manifest. */
  private static void checkImages(Manifest manifest, Map<String, String> overrides) {
    Set<String> images = new TreeSet<>();
    for (KubeObject object : manifest.objects()) {
      collectImages(object.json(), images);
    }
    for (String image : overrides.keySet()) {
      if (!images.contains(image)) {
        throw new InvalidConfigurationException(
            "image override",
            image + "=" + overrides.get(image),
            "no container of the manifest " + manifest.origin() + " runs image " + image,
            "override one of the images it runs: " + String.join(", ", images));
      }
    }
  }

  private static void collectImages(JsonNode node, Set<String> images) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (CONTAINER_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
        for (JsonNode container : field.getValue()) {
          if (container.path("image").isTextual()) {
            images.add(container.path("image").asText());
          }
        }
      } else if (field.getValue().isContainerNode()) {
        collectImages(field.getValue(), images);
      }
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        collectImages(element, images);
      }
    }
  }
}
