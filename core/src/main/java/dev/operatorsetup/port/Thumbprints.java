package dev.operatorsetup.port;

import dev.operatorsetup.model.OidcIssuer;

/** Computes the thumbprint IAM may pin for an OIDC issuer. */
@FunctionalInterface
public interface Thumbprints {
  /**
   * Returns the lower-case hex SHA-1 of the top (last) certificate the issuer's TLS server
   * presents, after normal certificate validation.
   */
  String of(OidcIssuer issuer);
}
