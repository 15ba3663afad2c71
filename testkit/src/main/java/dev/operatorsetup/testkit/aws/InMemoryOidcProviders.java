package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.testkit.Recorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IAM OIDC identity providers of the fake account, checked as IAM checks them. */
final class InMemoryOidcProviders extends AccountService implements OidcProviders {
  private final Partition partition;

  InMemoryOidcProviders(AwsAccount aws, Partition partition, Recorder recorder) {
    super(aws, recorder);
    this.partition = partition;
  }

  @Override
  public Optional<OidcProvider> find(Arn arn) {
    return read(
        "GetOpenIDConnectProvider",
        () -> Optional.ofNullable(aws.providers.get(arn)).map(InMemoryOidcProviders::toModel));
  }

  @Override
  public List<Arn> list() {
    return read(
        "ListOpenIDConnectProviders",
        () -> aws.providers.keySet().stream().filter(arn -> arn.partition() == partition).toList());
  }

  @Override
  public OidcProvider create(OidcProviders.NewProvider p) {
    return write(
        "CreateOpenIDConnectProvider",
        () -> {
          String url = IamInput.oidcProvider(p.issuerUrl(), p.clientIds(), p.thumbprints());
          InMemoryIamRules.checkTags("OIDC provider tag", Map.of(), p.tags());
          Arn arn = Arn.of(partition, "iam", "", aws.account(), "oidc-provider/" + url);
          if (aws.providers.containsKey(arn)) {
            throw new ResourceConflictException(
                "An IAM OIDC provider for "
                    + p.issuerUrl()
                    + " already exists ("
                    + arn
                    + "; EntityAlreadyExists). Fix: reuse it, or delete it first.");
          }
          Map<String, String> tagCopy = new LinkedHashMap<>();
          InMemoryIamRules.putTags(tagCopy, p.tags());
          AwsAccount.ProviderState state =
              new AwsAccount.ProviderState(
                  arn,
                  url,
                  List.copyOf(p.clientIds()),
                  p.thumbprints().stream().map(t -> t.toLowerCase(java.util.Locale.ROOT)).toList(),
                  Map.copyOf(tagCopy));
          aws.providers.put(arn, state);
          return toModel(state);
        });
  }

  @Override
  public boolean delete(Arn arn) {
    return write("DeleteOpenIDConnectProvider", () -> aws.providers.remove(arn) != null);
  }

  private static OidcProvider toModel(AwsAccount.ProviderState s) {
    return new OidcProvider.Builder()
        .arn(s.arn())
        .url(s.url())
        .clientIds(s.clientIds())
        .thumbprints(s.thumbprints())
        .tags(s.tags())
        .build();
  }
}
