package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The input rules of IAM, STS and EKS as their API references document them (the constraints of
 * each request parameter), written out here rather than borrowed from the product's validators, so
 * a mistake in those is caught by a fake that disagrees.
 */
final class IamInput {
  // IAM API reference, CreateRole / PutRolePolicy / TagRole / CreateOpenIDConnectProvider.
  private static final Pattern NAME_CHARS = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
  private static final Pattern DESCRIPTION =
      Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*");
  private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final Pattern HEX40 = Pattern.compile("[0-9A-Fa-f]{40}");
  private static final Pattern POLICY_ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}|aws):policy/(.+/)?[\\w+=,.@-]+");
  // STS: an account id; EKS CreateCluster: name.
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]*");
  private static final Pattern REGION =
      Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");

  static final int MAX_TAGS = 50;
  static final int MIN_SESSION_SECONDS = 3600;
  static final int MAX_SESSION_SECONDS = 43200;

  private IamInput() {}

  /** RoleName: 1 to 64 characters of {@code [\w+=,.@-]}. */
  static void roleName(String name) {
    name("roleName", name, 64);
  }

  /** PolicyName: 1 to 128 characters of {@code [\w+=,.@-]}. */
  static void policyName(String name) {
    name("policyName", name, 128);
  }

  private static void name(String parameter, String value, int max) {
    if (value == null || value.isEmpty() || value.length() > max) {
      throw invalid(parameter, value, "Member must have length between 1 and " + max);
    }
    if (!NAME_CHARS.matcher(value).matches()) {
      throw invalid(
          parameter, value, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
  }

  /** Path: {@code /} alone, or 1 to 512 printable ASCII characters starting and ending in /. */
  static void path(String path) {
    if (path == null || path.length() > 512 || !PATH.matcher(path).matches()) {
      throw invalid(
          "path",
          path,
          "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
              + " and have length between 1 and 512");
    }
  }

  /** Description: at most 1000 characters of tab, newline and Latin-1 printable. */
  static void description(String description) {
    if (description.length() > 1000) {
      throw invalid(
          "description", description, "Member must have length less than or equal to 1000");
    }
    if (!DESCRIPTION.matcher(description).matches()) {
      throw invalid(
          "description",
          description,
          "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*");
    }
  }

  /** MaxSessionDuration: 3600 to 43200 seconds. */
  static void maxSessionDuration(int seconds) {
    if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
      throw invalid(
          "maxSessionDuration",
          String.valueOf(seconds),
          "Member must have value between " + MIN_SESSION_SECONDS + " and " + MAX_SESSION_SECONDS);
    }
  }

  /** A tag key: 1 to 128 letters, digits, spaces and {@code _ . : / = + - @}; not {@code aws:}. */
  static void tagKey(String field, String key) {
    if (key == null || key.isEmpty() || key.length() > 128 || !TAG_CHARS.matcher(key).matches()) {
      throw new InvalidConfigurationException(
          field + " key",
          key,
          "IAM rejects it (InvalidInput: a tag key is 1 to 128 letters, digits, spaces and"
              + " _ . : / = + - @)",
          "use a key such as team");
    }
    if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw new InvalidConfigurationException(
          field + " key",
          key,
          "IAM rejects it (InvalidInput: tag keys starting with aws: are reserved)",
          "drop the prefix");
    }
  }

  /** A tag value: 0 to 256 letters, digits, spaces and {@code _ . : / = + - @}. */
  static void tagValue(String field, String value) {
    if (value == null || value.length() > 256 || !TAG_CHARS.matcher(value).matches()) {
      throw new InvalidConfigurationException(
          field + " value",
          value,
          "IAM rejects it (InvalidInput: a tag value is at most 256 letters, digits, spaces and"
              + " _ . : / = + - @)",
          "shorten the value or drop other characters");
    }
  }

  /** PolicyArn: {@code arn:<partition>:iam::<account or aws>:policy/<path><name>}. */
  static void policyArn(String arn) {
    if (arn == null
        || arn.length() < 20
        || arn.length() > 2048
        || !POLICY_ARN.matcher(arn).matches()) {
      throw invalid("policyArn", arn, "Member must be the ARN of a managed policy");
    }
  }

  /** An AWS account id: 12 digits. */
  static String account(String id) {
    if (id == null || !ACCOUNT.matcher(id).matches()) {
      throw new InvalidConfigurationException(
          "account", id, "an AWS account id is 12 digits", "use an id such as 123456789012");
    }
    return id;
  }

  /** A region code such as {@code us-east-1}, {@code cn-north-1} or {@code us-gov-west-1}. */
  static void region(String region) {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new InvalidConfigurationException(
          "region", region, "no AWS region has that code", "use a region such as us-east-1");
    }
  }

  /** EKS cluster name: 1 to 100 letters, digits, - and _, starting with a letter or digit. */
  static void clusterName(String name) {
    if (name == null || name.length() > 100 || !CLUSTER_NAME.matcher(name).matches()) {
      throw new InvalidConfigurationException(
          "cluster name",
          name,
          "EKS rejects it (InvalidParameterException: a cluster name has 1 to 100 letters,"
              + " digits, - and _, starting with a letter or digit)",
          "use a name such as ml-cluster");
    }
  }

  /**
   * Checks a CreateOpenIDConnectProvider request as IAM does; returns the provider's name, the URL
   * without {@code https://} and without trailing slashes.
   */
  static String oidcProvider(String url, List<String> clientIds, List<String> thumbprints) {
    String rule =
        "the URL must begin with https://, name a host, have no query or fragment and"
            + " be at most 255 characters";
    if (url == null || url.isEmpty() || url.length() > 255 || !url.startsWith("https://")) {
      throw oidc("OIDC issuer", url, rule);
    }
    String rest = url.substring("https://".length());
    int slash = rest.indexOf('/');
    String host = slash < 0 ? rest : rest.substring(0, slash);
    if (host.isEmpty() || rest.contains("?") || rest.contains("#") || host.contains("@")) {
      throw oidc("OIDC issuer", url, rule);
    }
    if (clientIds.size() > 100) {
      throw oidc(
          "OIDC client ids",
          clientIds.size() + " client ids",
          "at most 100 client ids (LimitExceeded)");
    }
    for (String id : clientIds) {
      if (id == null || id.isEmpty() || id.length() > 255) {
        throw oidc("OIDC client id", id, "a client id has 1 to 255 characters");
      }
    }
    if (thumbprints.size() > 5) {
      throw oidc("OIDC thumbprints", thumbprints.size() + " thumbprints", "at most 5 thumbprints");
    }
    for (String t : thumbprints) {
      if (t == null || !HEX40.matcher(t).matches()) {
        throw oidc("OIDC thumbprint", t, "a thumbprint is 40 hexadecimal digits");
      }
    }
    String name = host.toLowerCase(Locale.ROOT) + (slash < 0 ? "" : rest.substring(slash));
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }

  private static InvalidConfigurationException oidc(String field, String value, String rule) {
    return new InvalidConfigurationException(
        field,
        value,
        "IAM rejects it (InvalidInput: " + rule + ")",
        "pass an https issuer URL, client ids and thumbprints within IAM's limits");
  }

  private static InvalidConfigurationException invalid(
      String parameter, String value, String rule) {
    return new InvalidConfigurationException(
        parameter,
        value,
        "IAM rejects it (ValidationError: 1 validation error detected: Value at '"
            + parameter
            + "' failed to satisfy constraint: "
            + rule
            + ")",
        "pass a value within IAM's documented constraints");
  }
}
