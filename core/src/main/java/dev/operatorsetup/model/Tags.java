package dev.operatorsetup.model;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.Map;

/** The tags this library puts on what it creates, and IAM's tag rules. */
public final class Tags {
  /** The tag key (IAM) and label key (Kubernetes) that mark what this library created. */
  public static final String MANAGED_BY_KEY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY_KEY}. */
  public static final String MANAGED_BY_VALUE = "operator-setup";

  /** The IAM tag naming the cluster a resource was made for. */
  public static final String CLUSTER_KEY = "operator-setup/cluster";

  /** The label naming the release (and so the target) an object was installed for. */
  public static final String RELEASE_KEY = "operator-setup/release";

  private Tags() {}

  /** Returns the ownership tags for a resource created for a cluster. */
  public static Map<String, String> ownership(ClusterRef cluster) {
    return Map.of(MANAGED_BY_KEY, MANAGED_BY_VALUE, CLUSTER_KEY, cluster.name());
  }

  /** Returns whether these tags or labels say this library created the resource. */
  public static boolean isOurs(Map<String, String> tagsOrLabels) {
    return MANAGED_BY_VALUE.equals(tagsOrLabels.get(MANAGED_BY_KEY));
  }

  static void check(String field, Map<String, String> tags) {
    if (tags.size() > 50) {
      throw new InvalidConfigurationException(
          field + "s", tags.size() + " tags", "IAM allows at most 50 tags", "drop some tags");
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      Rules.require(
          field + " key",
          e.getKey(),
          Rules.TAG_KEY,
          "an IAM tag key is 1 to 128 letters, digits, spaces and _ . : / = + - @",
          "use a key such as team");
      if (e.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
        throw new InvalidConfigurationException(
            field + " key", e.getKey(), "keys starting with aws: are reserved", "drop the prefix");
      }
      Rules.require(
          field + " value",
          e.getValue(),
          Rules.TAG_VALUE,
          "an IAM tag value is at most 256 letters, digits, spaces and _ . : / = + - @",
          "shorten the value or drop other characters");
    }
  }
}
