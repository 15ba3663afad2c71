package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.OidcProviderRules;
import dev.operatorsetup.port.OidcProviders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * {@link OidcProviders} over IAM's OpenID Connect provider API. Inputs IAM would reject are
 * rejected before the call, with a message that says how to fix them.
 */
final class SdkIamOidcProviders implements OidcProviders {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  private final IamClient iam;

  SdkIamOidcProviders(IamClient iam) {
    this.iam = iam;
  }

  @Override
  public Optional<OidcProvider> find(Arn arn) {
    return AwsErrors.find(
            "iam:GetOpenIDConnectProvider",
            "provider=" + arn,
            "IAM OIDC provider " + arn,
            () -> iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn.toString())))
        .map(r -> toModel(arn, r));
  }

  private static OidcProvider toModel(Arn arn, GetOpenIdConnectProviderResponse r) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (r.hasTags()) {
      r.tags().forEach(t -> tags.put(t.key(), t.value()));
    }
    return new OidcProvider.Builder()
        .arn(arn)
        .url(r.url())
        .clientIds(r.hasClientIDList() ? r.clientIDList() : List.of())
        .thumbprints(r.hasThumbprintList() ? r.thumbprintList() : List.of())
        .tags(tags)
        .build();
  }

  @Override
  public List<Arn> list() {
    List<Arn> arns = new ArrayList<>();
    try {
      iam.listOpenIDConnectProviders()
          .openIDConnectProviderList()
          .forEach(p -> arns.add(Arn.parse("OIDC provider ARN", p.arn())));
    } catch (SdkException e) {
      throw AwsErrors.map("iam:ListOpenIDConnectProviders", "the account's OIDC providers", e);
    }
    LOG.debug("call=iam:ListOpenIDConnectProviders count={}", arns.size());
    return arns;
  }

  @Override
  public OidcProvider create(OidcProviders.NewProvider p) {
    OidcIssuer issuer = OidcProviderRules.check(p.issuerUrl(), p.clientIds(), p.thumbprints());
    List<String> lowerThumbprints =
        p.thumbprints().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    CreateOpenIdConnectProviderResponse r;
    try {
      r =
          iam.createOpenIDConnectProvider(
              b -> {
                b.url(p.issuerUrl());
                // Leave empty lists out: the query protocol would send them as empty values.
                if (!p.clientIds().isEmpty()) {
                  b.clientIDList(p.clientIds());
                }
                if (!lowerThumbprints.isEmpty()) {
                  b.thumbprintList(lowerThumbprints);
                }
                if (!p.tags().isEmpty()) {
                  b.tags(toTags(p.tags()));
                }
              });
    } catch (SdkException e) {
      throw AwsErrors.map(
          "iam:CreateOpenIDConnectProvider",
          "An IAM OIDC provider for " + p.issuerUrl(),
          "OIDC provider",
          p.issuerUrl(),
          e);
    }
    Arn arn = Arn.parse("OIDC provider ARN", r.openIDConnectProviderArn());
    LOG.debug("Created IAM OIDC provider {} for issuer {}", arn, p.issuerUrl());
    return new OidcProvider.Builder()
        .arn(arn)
        .url(issuer.hostAndPath())
        .clientIds(p.clientIds())
        .thumbprints(lowerThumbprints)
        .tags(p.tags())
        .build();
  }

  @Override
  public boolean delete(Arn arn) {
    // DeleteOpenIDConnectProvider of a missing provider is NoSuchEntity in IAM, but some emulators
    // answer success; look first so both say "did not exist".
    if (find(arn).isEmpty()) {
      return false;
    }
    try {
      iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn.toString()));
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return false;
      }
      throw AwsErrors.map("iam:DeleteOpenIDConnectProvider", "IAM OIDC provider " + arn, e);
    }
    LOG.debug("Deleted IAM OIDC provider {}", arn);
    return true;
  }

  static List<Tag> toTags(Map<String, String> tags) {
    List<Tag> out = new ArrayList<>();
    tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
    return out;
  }
}
