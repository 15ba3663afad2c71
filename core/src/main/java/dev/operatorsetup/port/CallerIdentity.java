package dev.operatorsetup.port;

import dev.operatorsetup.model.AccountIdentity;

/** Who the AWS credentials belong to (STS GetCallerIdentity). Implementations are thread-safe. */
public interface CallerIdentity {
  AccountIdentity get();
}
