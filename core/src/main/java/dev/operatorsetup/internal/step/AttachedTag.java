package dev.operatorsetup.internal.step;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The role tag {@value #KEY} that records the managed policies install attached (and did not find
 * attached), so that uninstall detaches those and nothing else from a role it keeps. Its value is
 * the policy names joined by spaces (IAM policy names hold no spaces). An IAM tag value is at most
 * 256 characters of {@code [\p{L}\p{Z}\p{N}_.:/=+\-@]}: a name that does not fit, or holds another
 * character (a comma), is not recorded, and the report says that uninstall will leave it attached.
 */
final class AttachedTag {
  static final String KEY = "operator-setup/attached";
  static final int MAX = 256;

  private AttachedTag() {}

  /** Returns the policy names the tag records; empty without the tag. */
  static Set<String> read(Map<String, String> tags) {
    String value = tags.getOrDefault(KEY, "").trim();
    return value.isEmpty()
        ? new LinkedHashSet<>()
        : new LinkedHashSet<>(Arrays.asList(value.split("\\s+")));
  }

  /** The tag's value for these names, and the names that did not fit. */
  record Encoded(String value, List<String> left) {}

  static Encoded encode(Set<String> names) {
    StringBuilder value = new StringBuilder();
    List<String> left = new ArrayList<>();
    for (String name : names) {
      int length = value.length() + (value.length() == 0 ? 0 : 1) + name.length();
      if (length > MAX || !Rules.TAG_VALUE.matcher(name).matches()) {
        left.add(name);
        continue;
      }
      value.append(value.length() == 0 ? "" : " ").append(name);
    }
    return new Encoded(value.toString(), left);
  }

  /** Returns the names of these policies. */
  static Set<String> names(List<Arn> policies) {
    Set<String> names = new LinkedHashSet<>();
    policies.forEach(p -> names.add(p.resourceName()));
    return names;
  }
}
