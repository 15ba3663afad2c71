package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/** An IAM OIDC identity provider. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableOidcProvider.class)
@JsonDeserialize(as = ImmutableOidcProvider.class)
public interface OidcProvider {
  Arn arn();

  /** The issuer URL as IAM stores it (IAM drops the scheme: {@code host/path}). */
  String url();

  List<String> clientIds();

  List<String> thumbprints();

  Map<String, String> tags();

  class Builder extends ImmutableOidcProvider.Builder {}
}
