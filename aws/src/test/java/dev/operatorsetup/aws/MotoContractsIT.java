package dev.operatorsetup.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.contract.CallerIdentityContract;
import dev.operatorsetup.testkit.contract.ClustersContract;
import dev.operatorsetup.testkit.contract.OidcProvidersContract;
import dev.operatorsetup.testkit.contract.PoliciesContract;
import dev.operatorsetup.testkit.contract.RolesContract;
import dev.operatorsetup.testkit.contract.SageMakerResourcesContract;
import dev.operatorsetup.testkit.moto.MotoSageMaker;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AWS port contracts, against moto_server through the SDK adapters; each test gets a reset
 * moto.
 */
class MotoContractsIT {
  /** The CallerIdentity contract, against STS on moto_server. */
  @Nested
  class CallerIdentityOnMoto extends CallerIdentityContract {
    @RegisterExtension final MotoAws aws = MotoAws.perTest();

    @Override
    protected CallerIdentity callerIdentity() {
      return aws.ports("us-west-2").callerIdentity();
    }

    @Override
    protected String accountId() {
      return aws.moto().accountId();
    }
  }

  /**
   * The OidcProviders contract, against IAM on moto_server. moto does not require https URLs nor
   * 40-hex thumbprints and answers success when deleting a missing provider; the adapter checks the
   * inputs and looks before deleting, so these tests run here too.
   */
  @Nested
  class OidcProvidersOnMoto extends OidcProvidersContract {
    @RegisterExtension final MotoAws aws = MotoAws.perTest();

    @Override
    protected OidcProviders oidcProviders() {
      return aws.ports("us-west-2").oidcProviders();
    }

    @Override
    protected String accountId() {
      return aws.moto().accountId();
    }
  }

  /** The Roles contract, against IAM on moto_server. */
  @Nested
  class RolesOnMoto extends RolesContract {
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
     * moto/iam/models.py create_role vs update_assume_role_policy), and AttachRolePolicy has no
     * quota of managed policies per role; its trust-policy check has its own list of sts: actions
     * (no sts:SetContext, but sts:GetCallerIdentity and others; moto/iam/policy_validation.py
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

  /**
   * The Clusters contract, against EKS on moto_server; clusters are made with EKS CreateCluster,
   * their issuers set through the launcher's tag.
   */
  @Nested
  class ClustersOnMoto extends ClustersContract {
    @RegisterExtension final MotoAws aws = MotoAws.perTest();

    @Override
    protected Clusters clusters(String region) {
      return aws.ports(region).clusters();
    }

    @Override
    protected ClusterInfo seedCluster(String region, String name, String issuerUrl) {
      return aws.moto().createCluster(region, name, issuerUrl);
    }

    @Override
    protected String accountId() {
      return aws.moto().accountId();
    }
  }

  /**
   * The Policies contract, against IAM on moto_server (AWS managed policies loaded, in every
   * partition: the IAM client signs for cn-north-1 and us-gov-west-1 there).
   */
  @Nested
  class PoliciesOnMoto extends PoliciesContract {
    @RegisterExtension final MotoAws aws = MotoAws.perTest();

    @Override
    protected Policies policies(String region) {
      return aws.ports(region).policies();
    }

    @Override
    protected Arn seedPolicy(String name) {
      return aws.createPolicy(name);
    }
  }

  /**
   * The SageMakerResources contract, against SageMaker on moto_server through the JSON-protocol
   * adapter; resources are made with SageMaker's Create* calls ({@link MotoSageMaker}).
   */
  @Nested
  class SageMakerOnMoto extends SageMakerResourcesContract {
    private final CallLog log = new CallLog();
    @RegisterExtension final MotoAws aws = MotoAws.perTest().callListener(log::record);

    @Override
    protected SageMakerResources sageMaker(String region) {
      return aws.ports(region).sageMaker();
    }

    @Override
    protected void seed(SageMakerKind kind, String createRequestJson) {
      new MotoSageMaker(aws.moto()).create(REGION, kind, createRequestJson);
    }

    @Override
    protected CallLog callLog() {
      return log;
    }

    /**
     * moto 5.2: the Describe calls look any name up without checking it (moto/sagemaker/models.py
     * describe_* raise "Could not find ..."), and CreateProcessingJob has no ProcessingResources
     * parameter (moto/sagemaker/responses.py create_processing_job), so Describe lacks them.
     */
    @Override
    protected Set<Gap> gaps() {
      return EnumSet.of(
          Gap.DESCRIBE_ACCEPTS_MALFORMED_NAMES, Gap.PROCESSING_JOB_DROPS_PROCESSING_RESOURCES);
    }
  }
}
