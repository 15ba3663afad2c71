package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.contract.RolesContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Roles contract, against IAM on moto_server. */
class SdkIamRolesIT extends RolesContract {
  @RegisterExtension final MotoAws aws = MotoAws.perTest();

  @Override
  protected Roles roles() {
    return aws.ports("us-west-2").roles();
  }

  @Override
  protected String accountId() {
    return aws.moto().accountId();
  }

  @Override
  protected void seedOidcProvider(OidcIssuer issuer) {
    aws.ports("us-west-2")
        .oidcProviders()
        .create(issuer.url(), List.of("sts.amazonaws.com"), List.of(), Map.of());
  }

  @Override
  protected Arn seedPolicy(String name) {
    return aws.createPolicy(name);
  }

  /**
   * moto 5.2: CreateRole stores any trust policy (only UpdateAssumeRolePolicy validates it,
   * moto/iam/models.py create_role vs update_assume_role_policy), and AttachRolePolicy has no quota
   * of managed policies per role; its trust-policy check has its own list of sts: actions (no
   * sts:SetContext, but sts:GetCallerIdentity and others; moto/iam/policy_validation.py
   * _validate_trust_policy_action) and does not look up principals.
   */
  @Override
  protected Set<Gap> gaps() {
    return EnumSet.of(
        Gap.CREATE_ROLE_ACCEPTS_INVALID_TRUST_POLICY,
        Gap.NO_QUOTA_ON_ATTACHED_POLICIES,
        Gap.TRUST_ACTIONS_DIFFER_FROM_IAM,
        Gap.TRUST_PRINCIPALS_NOT_CHECKED);
  }
}
