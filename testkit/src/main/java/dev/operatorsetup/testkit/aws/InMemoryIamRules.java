package dev.operatorsetup.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.JsonText;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The checks IAM makes on policy documents and tags, as the fake needs them. */
final class InMemoryIamRules {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The actions IAM accepts in a trust policy, lower-case (action names are case-insensitive): the
   * AssumeRole family and the session permissions STS checks in the trust policy.
   */
  static final Set<String> TRUST_ACTIONS =
      Set.of(
          "sts:assumerole",
          "sts:assumerolewithwebidentity",
          "sts:assumerolewithsaml",
          "sts:tagsession",
          "sts:setsourceidentity",
          "sts:setcontext");

  private static final Pattern OIDC_PROVIDER_ARN =
      Pattern.compile("arn:[a-z-]+:iam::\\d{12}:oidc-provider/.+");
  private static final Set<String> TOP_ELEMENTS = Set.of("Version", "Id", "Statement");
  private static final Set<String> VERSIONS = Set.of("2008-10-17", "2012-10-17");
  private static final Set<String> STATEMENT_ELEMENTS =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");

  private InMemoryIamRules() {}

  /**
   * Checks a trust (assume-role) policy as CreateRole and UpdateAssumeRolePolicy do: no Resource, a
   * principal in every statement, only the actions of {@link #TRUST_ACTIONS}, and every Federated
   * OIDC provider existing in the account ({@code providerExists} says whether an ARN does).
   */
  static void checkTrustPolicy(String document, Predicate<String> providerExists) {
    List<JsonNode> statements = checkSyntax("trust policy", document);
    for (JsonNode s : statements) {
      if (s.has("Resource") || s.has("NotResource")) {
        throw malformed("trust policy", document, "Has prohibited field Resource.");
      }
      if (!s.has("Principal") && !s.has("NotPrincipal")) {
        throw malformed(
            "trust policy", document, "AssumeRolepolicy contained an invalid principal element.");
      }
      for (String action :
          JsonText.strings(s.has("Action") ? s.get("Action") : s.get("NotAction"))) {
        if (!TRUST_ACTIONS.contains(action.toLowerCase(Locale.ROOT))) {
          throw malformed(
              "trust policy",
              document,
              "AssumeRole policy may only specify STS AssumeRole actions.");
        }
      }
      for (String federated : JsonText.strings(s.path("Principal").get("Federated"))) {
        if (OIDC_PROVIDER_ARN.matcher(federated).matches() && !providerExists.test(federated)) {
          throw malformed(
              "trust policy",
              document,
              "Invalid principal in policy: \"Federated\":\"" + federated + "\"");
        }
      }
    }
  }

  /** Checks an identity-based (inline) policy document as PutRolePolicy does. */
  static void checkPermissionsPolicy(String field, String document) {
    List<JsonNode> statements = checkSyntax(field, document);
    for (JsonNode s : statements) {
      if (!s.has("Resource") && !s.has("NotResource")) {
        throw malformed(field, document, "Policy statement must contain resources.");
      }
      if (s.has("Principal") || s.has("NotPrincipal")) {
        throw malformed(field, document, "Policy document should not specify a principal.");
      }
    }
  }

  private static List<JsonNode> checkSyntax(String field, String document) {
    JsonNode root;
    try {
      root = document == null ? null : MAPPER.readTree(document);
    } catch (Exception e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw malformed(field, document, "Syntax errors in policy.");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      if (!TOP_ELEMENTS.contains(it.next())) {
        throw malformed(field, document, "Syntax errors in policy.");
      }
    }
    if (root.has("Version") && !VERSIONS.contains(root.get("Version").asText())) {
      throw malformed(field, document, "Policy document must be version 2012-10-17 or greater.");
    }
    JsonNode statement = root.get("Statement");
    List<JsonNode> statements = new ArrayList<>();
    if (statement != null && statement.isObject()) {
      statements.add(statement);
    } else if (statement != null && statement.isArray()) {
      statement.forEach(statements::add);
    }
    if (statements.isEmpty()) {
      throw malformed(field, document, "Syntax errors in policy.");
    }
    for (JsonNode s : statements) {
      if (!s.isObject()) {
        throw malformed(field, document, "Syntax errors in policy.");
      }
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        if (!STATEMENT_ELEMENTS.contains(it.next())) {
          throw malformed(field, document, "Syntax errors in policy.");
        }
      }
      String effect = s.has("Effect") ? s.get("Effect").asText() : "";
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw malformed(field, document, "Syntax errors in policy.");
      }
      if (s.has("Action") == s.has("NotAction")) {
        throw malformed(field, document, "Policy statement must contain actions.");
      }
      if (JsonText.strings(s.has("Action") ? s.get("Action") : s.get("NotAction")).isEmpty()) {
        throw malformed(field, document, "Policy statement must contain actions.");
      }
    }
    return statements;
  }

  static InvalidConfigurationException malformed(String field, String document, String detail) {
    return new InvalidConfigurationException(
        field,
        document,
        "IAM rejects it (MalformedPolicyDocument: " + detail + ")",
        "write a valid policy document; a trust policy allows only the sts:AssumeRole* family,"
            + " sts:TagSession, sts:SetSourceIdentity and sts:SetContext, names existing"
            + " principals and has no Resource");
  }

  /** Checks tags as TagRole and Create* do: at most 50, IAM's key and value rules, no aws:. */
  static void checkTags(String field, Map<String, String> existing, Map<String, String> added) {
    for (Map.Entry<String, String> e : added.entrySet()) {
      IamInput.tagKey(field, e.getKey());
      IamInput.tagValue(field, e.getValue());
    }
    long total =
        existing.keySet().stream()
                .filter(k -> added.keySet().stream().noneMatch(a -> a.equalsIgnoreCase(k)))
                .count()
            + added.size();
    if (total > IamInput.MAX_TAGS) {
      throw new InvalidConfigurationException(
          field + "s",
          total + " tags",
          "IAM rejects it (LimitExceeded: at most 50 tags per resource)",
          "drop some tags");
    }
  }

  /** Puts tags as IAM does: keys are unique regardless of case, the new spelling wins. */
  static void putTags(Map<String, String> target, Map<String, String> added) {
    for (Map.Entry<String, String> e : added.entrySet()) {
      target.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
      target.put(e.getKey(), e.getValue());
    }
  }

  /** URL-encodes a document as IAM returns it ({@code %20} for spaces). */
  static String encode(String document) {
    return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String decode(String encoded) {
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }
}
