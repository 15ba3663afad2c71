package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.operatorsetup.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** The IAM role the operator assumes: its name and everything attached to it. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableRoleSpec.class)
@JsonDeserialize(as = ImmutableRoleSpec.class)
public interface RoleSpec {
  /** The managed policy attached when none is named. */
  String DEFAULT_POLICY_NAME = "AmazonSageMakerFullAccess";

  String name();

  @Value.Default
  default String path() {
    return "/";
  }

  Optional<String> description();

  /** Maximum session duration in seconds (3600 to 43200). */
  Optional<Integer> maxSessionDurationSeconds();

  Map<String, String> tags();

  Optional<Arn> permissionsBoundary();

  List<Arn> managedPolicyArns();

  /** Inline policies by name; each value is a policy document in JSON. */
  Map<String, String> inlinePolicies();

  /** Returns the ARN of {@code AmazonSageMakerFullAccess} in a partition. */
  static Arn defaultPolicy(Partition partition) {
    return Arn.of(partition, "iam", "", "aws", "policy/" + DEFAULT_POLICY_NAME);
  }

  /** Returns the role's ARN in an account. */
  default Arn arn(Partition partition, String account) {
    return Arn.of(partition, "iam", "", account, "role" + path() + name());
  }

  @Value.Check
  default void check() {
    Rules.roleName("role name", name());
    Rules.require(
        "role path",
        path(),
        Rules.IAM_PATH,
        "an IAM path is '/' or starts and ends with '/', with printable ASCII between, at most"
            + " 512 characters",
        "use '/' or a path such as /operators/");
    description()
        .ifPresent(
            d -> {
              if (d.length() > 1000 || d.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw new InvalidConfigurationException(
                    "role description",
                    d,
                    "an IAM role description has at most 1000 characters and no control"
                        + " characters",
                    "shorten it to one line");
              }
            });
    maxSessionDurationSeconds()
        .ifPresent(
            s -> {
              if (s < 3600 || s > 43200) {
                throw new InvalidConfigurationException(
                    "max session duration",
                    s + "s",
                    "IAM allows 3600 to 43200 seconds (1 to 12 hours)",
                    "pick a duration between 1h and 12h");
              }
            });
    Tags.check("role tag", tags());
    permissionsBoundary().ifPresent(b -> Arn.parsePolicy("permissions boundary", b.toString()));
    for (Arn policy : managedPolicyArns()) {
      Arn.parsePolicy("policy ARN", policy.toString());
    }
    if (managedPolicyArns().size() > 20) {
      throw new InvalidConfigurationException(
          "policy ARNs",
          String.valueOf(managedPolicyArns().size()),
          "IAM attaches at most 20 managed policies to a role",
          "attach fewer policies, or combine them into one");
    }
    checkInlinePolicies(inlinePolicies());
  }

  private static void checkInlinePolicies(Map<String, String> policies) {
    ObjectMapper mapper = new ObjectMapper();
    for (Map.Entry<String, String> e : policies.entrySet()) {
      Rules.require(
          "inline policy name",
          e.getKey(),
          Rules.POLICY_NAME,
          "an IAM policy name is 1 to 128 characters of letters, digits and + = , . @ _ -",
          "choose a name such as operator-extra");
      JsonNode doc;
      try {
        doc = mapper.readTree(e.getValue());
      } catch (Exception ex) {
        doc = null;
      }
      if (doc == null || !doc.isObject() || !doc.has("Statement")) {
        throw new InvalidConfigurationException(
            "inline policy '" + e.getKey() + "'",
            e.getValue(),
            "a policy document is a JSON object with a Statement",
            "pass a document such as {\"Version\":\"2012-10-17\",\"Statement\":[...]}");
      }
    }
  }

  class Builder extends ImmutableRoleSpec.Builder {}
}
