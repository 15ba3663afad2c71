package dev.operatorsetup.model;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.List;

/** IAM's rules for a CreateOpenIDConnectProvider request, shared by the adapter and the fake. */
public final class OidcProviderRules {
  private OidcProviderRules() {}

  /**
   * Checks a CreateOpenIDConnectProvider request the way IAM does, and returns the issuer.
   *
   * @throws InvalidConfigurationException naming the input that breaks a rule
   */
  public static OidcIssuer check(
      String issuerUrl, List<String> clientIds, List<String> thumbprints) {
    OidcIssuer issuer = OidcIssuer.parse(issuerUrl);
    if (clientIds.size() > 100) {
      throw new InvalidConfigurationException(
          "OIDC client ids",
          clientIds.size() + " client ids",
          "IAM allows at most 100 client ids per OIDC provider (LimitExceeded)",
          "pass fewer client ids, e.g. only sts.amazonaws.com");
    }
    for (String id : clientIds) {
      if (id == null || id.isEmpty() || id.length() > 255) {
        throw new InvalidConfigurationException(
            "OIDC client id",
            id,
            "a client id has 1 to 255 characters",
            "use the audience of the tokens, e.g. sts.amazonaws.com");
      }
    }
    if (thumbprints.size() > 5) {
      throw new InvalidConfigurationException(
          "OIDC thumbprints",
          thumbprints.size() + " thumbprints",
          "IAM allows at most 5 thumbprints per OIDC provider",
          "pass at most 5 thumbprints, or none to let IAM trust the issuer's CA");
    }
    for (String t : thumbprints) {
      Rules.require(
          "OIDC thumbprint",
          t,
          Rules.THUMBPRINT,
          "a thumbprint is the SHA-1 of a certificate: 40 hexadecimal digits",
          "compute it from the issuer's certificate chain, or pass none");
    }
    return issuer;
  }
}
