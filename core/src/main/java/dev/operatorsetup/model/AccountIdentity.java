package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** Who the AWS credentials belong to, as STS GetCallerIdentity says. */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableAccountIdentity.class)
@JsonDeserialize(as = ImmutableAccountIdentity.class)
public interface AccountIdentity {
  String account();

  String arn();

  String userId();

  class Builder extends ImmutableAccountIdentity.Builder {}
}
