package dev.operatorsetup.port;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IAM OIDC identity providers. Implementations are thread-safe. */
public interface OidcProviders {
  /** Returns the provider with this ARN, or empty. */
  Optional<OidcProvider> find(Arn arn);

  /** Returns the ARNs of every provider in the account. */
  List<Arn> list();

  /**
   * Creates a provider for an issuer URL.
   *
   * @param thumbprints may be empty: IAM then trusts the issuer's CA from its own library
   * @throws dev.operatorsetup.ResourceConflictException if one exists for that URL
   */
  OidcProvider create(
      String issuerUrl, List<String> clientIds, List<String> thumbprints, Map<String, String> tags);

  /** Deletes the provider; returns false if it did not exist. */
  boolean delete(Arn arn);
}
