package dev.operatorsetup.aws;

import dev.operatorsetup.model.TrustPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * Every role's trust policy, by role name: IAM ListRoles over all its pages. IAM returns each
 * document URL-encoded; a document that does not parse is skipped (it names no provider we know).
 */
final class IamRoleTrustPolicies {
  private static final Logger LOG = LoggerFactory.getLogger(IamRoleTrustPolicies.class);

  private IamRoleTrustPolicies() {}

  static Map<String, TrustPolicy> list(IamClient iam) {
    Map<String, TrustPolicy> out = new LinkedHashMap<>();
    try {
      for (Role role : iam.listRolesPaginator(b -> b.maxItems(1000)).roles()) {
        String document = SdkIamRoles.decode(role.assumeRolePolicyDocument());
        try {
          out.put(role.roleName(), TrustPolicy.parse(document));
        } catch (RuntimeException e) {
          LOG.debug("call=iam:ListRoles role={} unparsable trust policy skipped", role.roleName());
        }
      }
    } catch (SdkException e) {
      throw AwsErrors.map("iam:ListRoles", "the account's IAM roles", e);
    }
    LOG.debug("call=iam:ListRoles roles={}", out.size());
    return out;
  }
}
