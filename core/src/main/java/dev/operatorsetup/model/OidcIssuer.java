package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.operatorsetup.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A cluster's OIDC issuer URL, such as {@code https://oidc.eks.us-east-1.amazonaws.com/id/ABC}. IAM
 * names the identity provider after the URL without its scheme: {@link #hostAndPath()}.
 */
public final class OidcIssuer {
  private final URI url;
  private final String hostAndPath;

  private OidcIssuer(URI url, String hostAndPath) {
    this.url = url;
    this.hostAndPath = hostAndPath;
  }

  /**
   * Parses an issuer URL.
   *
   * @throws InvalidConfigurationException unless it is an https URL with a host and no query
   */
  @JsonCreator
  public static OidcIssuer parse(String text) {
    String rule = "an OIDC issuer is an https URL with a host, at most 255 characters, no query";
    String fix =
        "use the cluster's identity.oidc.issuer as 'aws eks describe-cluster' prints it, e.g."
            + " https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
    if (text == null || text.length() > 255) {
      throw new InvalidConfigurationException("OIDC issuer", text, rule, fix);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException("OIDC issuer", text, rule, fix);
    }
    if (!"https".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new InvalidConfigurationException("OIDC issuer", text, rule, fix);
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (uri.getPort() != -1 && uri.getPort() != 443) {
      host = host + ":" + uri.getPort();
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new OidcIssuer(uri, host + path);
  }

  /** Returns the issuer URL. */
  @JsonValue
  public String url() {
    return url.toString();
  }

  /** Returns the URL without {@code https://}: the IAM provider's name and condition-key prefix. */
  public String hostAndPath() {
    return hostAndPath;
  }

  /** Returns the host and port to dial for TLS. */
  public String host() {
    return url.getHost();
  }

  /** Returns the port to dial for TLS (443 unless given). */
  public int port() {
    return url.getPort() == -1 ? 443 : url.getPort();
  }

  /** Returns the last path segment, the OIDC id of an EKS issuer. */
  public String id() {
    int slash = hostAndPath.lastIndexOf('/');
    return slash < 0 ? hostAndPath : hostAndPath.substring(slash + 1);
  }

  /** Returns the ARN of the IAM OIDC provider for this issuer. */
  public Arn providerArn(Partition partition, String account) {
    Rules.account("account", account);
    return Arn.of(partition, "iam", "", account, "oidc-provider/" + hostAndPath);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OidcIssuer other && other.hostAndPath.equals(hostAndPath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostAndPath);
  }

  @Override
  public String toString() {
    return url();
  }
}
