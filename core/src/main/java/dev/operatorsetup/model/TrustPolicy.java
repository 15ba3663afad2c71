package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.InvalidConfigurationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * A role's trust policy (assume-role policy document). {@link #forServiceAccount} builds the one
 * IRSA needs; {@link #parse} reads one back from IAM, which returns it URL-encoded; {@link #sameAs}
 * compares two the way IAM does, ignoring key order, white space and list order.
 */
@Value.Immutable
@ValueStyle
public interface TrustPolicy {
  /** The audience IRSA tokens carry, in every partition (also in China). */
  String AUDIENCE = "sts.amazonaws.com";

  String ASSUME_ROLE_WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";

  @Value.Default
  default String version() {
    return "2012-10-17";
  }

  List<TrustStatement> statements();

  /**
   * Builds the trust policy that lets one ServiceAccount of one cluster assume the role: principal
   * {@code arn:<partition>:iam::<account>:oidc-provider/<issuer>}, {@code
   * sts:AssumeRoleWithWebIdentity}, and {@code StringEquals} on the token's {@code aud} and {@code
   * sub}.
   */
  static TrustPolicy forServiceAccount(
      OidcIssuer issuer, Partition partition, String account, ServiceAccountRef serviceAccount) {
    Map<String, List<String>> equals = new LinkedHashMap<>();
    equals.put(issuer.hostAndPath() + ":aud", List.of(AUDIENCE));
    equals.put(issuer.hostAndPath() + ":sub", List.of(serviceAccount.subject()));
    return new Builder()
        .addStatement(
            new TrustStatement.Builder()
                .putPrincipal(
                    "Federated", List.of(issuer.providerArn(partition, account).toString()))
                .addAction(ASSUME_ROLE_WITH_WEB_IDENTITY)
                .putCondition("StringEquals", equals)
                .build())
        .build();
  }

  /**
   * Parses a policy document, plain or URL-encoded as IAM's GetRole returns it.
   *
   * @throws InvalidConfigurationException if it is not a policy document
   */
  static TrustPolicy parse(String document) {
    String text = document == null ? "" : document.trim();
    if (text.startsWith("%")) {
      text = URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (Exception e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw bad(document, "it is not a JSON object");
    }
    return fromJsonNode(root);
  }

  @JsonCreator
  static TrustPolicy fromJsonNode(JsonNode root) {
    Builder b = new Builder();
    if (root.has("Version")) {
      b.version(root.get("Version").asText());
    }
    JsonNode statements = root.get("Statement");
    if (statements == null) {
      throw bad(root.toString(), "it has no Statement");
    }
    for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
      if (!s.isObject()) {
        throw bad(root.toString(), "a Statement is not an object");
      }
      TrustStatement.Builder sb = new TrustStatement.Builder();
      if (s.has("Sid")) {
        sb.sid(s.get("Sid").asText());
      }
      if (s.has("Effect")) {
        sb.effect(s.get("Effect").asText());
      }
      JsonNode principal = s.get("Principal");
      if (principal != null && principal.isTextual()) {
        sb.putPrincipal("AWS", List.of(principal.asText()));
      } else if (principal != null && principal.isObject()) {
        principal
            .fields()
            .forEachRemaining(e -> sb.putPrincipal(e.getKey(), strings(e.getValue())));
      }
      sb.addAllActions(strings(s.get("Action")));
      JsonNode condition = s.get("Condition");
      if (condition != null && condition.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = condition.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> op = it.next();
          Map<String, List<String>> keys = new LinkedHashMap<>();
          op.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), strings(k.getValue())));
          sb.putCondition(op.getKey(), keys);
        }
      }
      b.addStatement(sb.build());
    }
    return b.build();
  }

  /** The texts of a string-or-list value; none for a JSON {@code null}. */
  private static List<String> strings(JsonNode node) {
    return JsonText.strings(node == null || node.isNull() ? null : node);
  }

  private static InvalidConfigurationException bad(String document, String why) {
    return new InvalidConfigurationException(
        "trust policy",
        document,
        "a trust policy is a JSON object with Version and Statement (" + why + ")",
        "pass a policy document as IAM shows it");
  }

  /** Returns the document as a JSON tree, one-element lists written as plain strings. */
  @JsonValue
  default ObjectNode toJsonNode() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("Version", version());
    ArrayNode list = root.putArray("Statement");
    for (TrustStatement s : statements()) {
      ObjectNode o = list.addObject();
      s.sid().ifPresent(sid -> o.put("Sid", sid));
      o.put("Effect", s.effect());
      if (!s.principal().isEmpty()) {
        ObjectNode p = o.putObject("Principal");
        s.principal().forEach((k, v) -> p.set(k, valueNode(v)));
      }
      o.set("Action", valueNode(s.actions()));
      if (!s.conditions().isEmpty()) {
        ObjectNode c = o.putObject("Condition");
        s.conditions()
            .forEach(
                (op, keys) -> {
                  ObjectNode opNode = c.putObject(op);
                  keys.forEach((k, v) -> opNode.set(k, valueNode(v)));
                });
      }
    }
    return root;
  }

  private static JsonNode valueNode(List<String> values) {
    if (values.size() == 1) {
      return JsonNodeFactory.instance.textNode(values.get(0));
    }
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  /**
   * Renders the document as the seed's trust.json lays it out: two-space indent, one key a line.
   */
  default String toJson() {
    return JsonText.pretty(toJsonNode());
  }

  /** Renders the document on one line, as IAM's APIs take it. */
  default String toCompactJson() {
    return toJsonNode().toString();
  }

  /** Returns a copy with every list sorted and every map keyed in order, for comparison. */
  default TrustPolicy normalized() {
    Builder b = new Builder().version(version());
    List<TrustStatement> sorted = new ArrayList<>();
    for (TrustStatement s : statements()) {
      TrustStatement.Builder sb = new TrustStatement.Builder().effect(s.effect());
      s.sid().ifPresent(sb::sid);
      new TreeMap<>(s.principal()).forEach((k, v) -> sb.putPrincipal(k, sortedCopy(v)));
      sb.addAllActions(sortedCopy(s.actions()));
      new TreeMap<>(s.conditions())
          .forEach(
              (op, keys) -> {
                Map<String, List<String>> m = new TreeMap<>();
                keys.forEach((k, v) -> m.put(k, sortedCopy(v)));
                sb.putCondition(op, m);
              });
      sorted.add(sb.build());
    }
    sorted.sort((x, y) -> x.toString().compareTo(y.toString()));
    return b.addAllStatements(sorted).build();
  }

  private static List<String> sortedCopy(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }

  /** Returns whether two documents mean the same to IAM (order and layout aside). */
  default boolean sameAs(TrustPolicy other) {
    return normalized().toCompactJson().equals(other.normalized().toCompactJson());
  }

  class Builder extends ImmutableTrustPolicy.Builder {}
}
