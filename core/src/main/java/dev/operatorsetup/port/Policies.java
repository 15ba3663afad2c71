package dev.operatorsetup.port;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ManagedPolicy;
import java.util.Optional;

/** IAM managed policies. Implementations are thread-safe. */
public interface Policies {
  /** Returns the policy, or empty if none has that ARN. */
  Optional<ManagedPolicy> find(Arn arn);
}
