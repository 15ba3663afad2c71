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
  default OidcProvider create(
      String issuerUrl,
      List<String> clientIds,
      List<String> thumbprints,
      Map<String, String> tags) {
    return create(new NewProvider(issuerUrl, clientIds, thumbprints, tags));
  }

  /** Creates the provider {@link #create(String, List, List, Map)} describes. */
  OidcProvider create(NewProvider provider);

  /**
   * A provider to create.
   *
   * @param issuerUrl the issuer, {@code https://...}
   * @param clientIds the audiences, e.g. {@code sts.amazonaws.com}
   * @param thumbprints may be empty
   * @param tags the provider's tags
   */
  record NewProvider(
      String issuerUrl,
      List<String> clientIds,
      List<String> thumbprints,
      Map<String, String> tags) {
    public NewProvider {
      java.util.Objects.requireNonNull(issuerUrl, "issuerUrl");
      clientIds = List.copyOf(clientIds);
      thumbprints = List.copyOf(thumbprints);
      tags = Map.copyOf(tags);
    }
  }

  /** Deletes the provider; returns false if it did not exist. */
  boolean delete(Arn arn);
}
