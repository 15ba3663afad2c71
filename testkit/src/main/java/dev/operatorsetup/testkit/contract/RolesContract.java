package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.ServiceTrust;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Roles} shares with IAM, errors included. Where an emulator differs
 * from AWS, the test asserts AWS's behaviour and the emulator's subclass names the {@link Gap} in
 * {@link #gaps()}; that test is then skipped for it, with the reason printed.
 */
public abstract class RolesContract {
  /** Ways an emulator is known to differ from IAM, each with the behaviour AWS has. */
  public enum Gap {
    /** The emulator's CreateRole accepts any trust policy. */
    CREATE_ROLE_ACCEPTS_INVALID_TRUST_POLICY(
        "AWS's CreateRole rejects a trust policy with actions other than sts:*"
            + " (MalformedPolicyDocument); the emulator's CreateRole does not validate the trust"
            + " policy (only UpdateAssumeRolePolicy does)"),
    /** The emulator attaches any number of managed policies to a role. */
    NO_QUOTA_ON_ATTACHED_POLICIES(
        "AWS's AttachRolePolicy fails with LimitExceeded beyond the account's quota of managed"
            + " policies per role (10 by default, at most 20); the emulator has no such quota"),
    /** The emulator's trust-policy check has its own list of STS actions, not IAM's. */
    TRUST_ACTIONS_DIFFER_FROM_IAM(
        "AWS accepts exactly sts:AssumeRole, sts:AssumeRoleWithWebIdentity,"
            + " sts:AssumeRoleWithSAML, sts:TagSession, sts:SetSourceIdentity and sts:SetContext in"
            + " a trust policy; the emulator refuses sts:SetContext and accepts other sts: actions"
            + " such as sts:GetCallerIdentity"),
    /** The emulator does not check that a trust policy's principals exist. */
    TRUST_PRINCIPALS_NOT_CHECKED(
        "AWS refuses a trust policy whose Federated principal names an OIDC provider the account"
            + " does not have (MalformedPolicyDocument: Invalid principal in policy); the"
            + " emulator stores any principal");

    private final String reason;

    Gap(String reason) {
      this.reason = reason;
    }

    /** Returns what AWS does and what the emulator does instead. */
    public String reason() {
      return reason;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INLINE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}]}";

  /** Returns the port under test. */
  protected abstract Roles roles();

  /** Returns the account roles are created in. */
  protected abstract String accountId();

  /** Creates an attachable customer managed policy in {@link #partition()}; returns its ARN. */
  protected abstract Arn seedPolicy(String name);

  /**
   * Makes IAM's OIDC provider for {@code issuer} exist in {@link #accountId()}, as IAM requires of
   * a Federated principal before a trust policy may name it.
   */
  protected abstract void seedOidcProvider(OidcIssuer issuer);

  /** Returns the partition of the region the port was made for (default {@code aws}). */
  protected Partition partition() {
    return Partition.AWS;
  }

  /** Returns how the backend under test differs from IAM (default: it does not). */
  protected Set<Gap> gaps() {
    return EnumSet.noneOf(Gap.class);
  }

  /** Skips the calling test, printing why, if the backend has the gap. */
  protected final void skipIf(Gap gap) {
    if (gaps().contains(gap)) {
      String reason =
          "Skipped for " + getClass().getSimpleName() + " (" + gap + "): " + gap.reason();
      System.err.println(reason);
      Assumptions.abort(reason);
    }
  }

  /** Returns a role name no earlier test used. */
  protected static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Returns the IRSA trust policy of a fresh issuer, whose OIDC provider it seeds, and the
   * operator's ServiceAccount.
   */
  protected TrustPolicy irsaTrust() {
    OidcIssuer issuer = freshIssuer();
    seedOidcProvider(issuer);
    return irsaTrust(issuer);
  }

  private static OidcIssuer freshIssuer() {
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    return OidcIssuer.parse("https://oidc.eks.us-west-2.amazonaws.com/id/" + id);
  }

  private TrustPolicy irsaTrust(OidcIssuer issuer) {
    return TrustPolicy.forServiceAccount(
        issuer, partition(), accountId(), ServiceAccountRef.operatorDefault());
  }

  private Role createRole(String name) {
    return roles().create(new RoleSpec.Builder().name(name).build(), irsaTrust(), Map.of());
  }

  private Arn sageMakerPolicy() {
    return RoleSpec.defaultPolicy(partition());
  }

  // ---------------------------------------------------------------------------------- create

  @Test
  public void create_thenFind_returnsTrustPolicyDescriptionAndTags() {
    String name = uniqueName("create");
    TrustPolicy trust = irsaTrust();
    RoleSpec spec =
        new RoleSpec.Builder()
            .name(name)
            .description("SageMaker operator")
            .putTag("team", "ml")
            .build();

    roles().create(spec, trust, Map.of("app.kubernetes.io/managed-by", "operator-setup"));
    Role found = roles().find(name).orElseThrow();

    assertThat(found.name()).isEqualTo(name);
    assertThat(found.trustPolicy().sameAs(trust)).as("trust %s", found.trustPolicy()).isTrue();
    assertThat(found.description()).contains("SageMaker operator");
    assertThat(found.tags())
        .containsEntry("team", "ml")
        .containsEntry("app.kubernetes.io/managed-by", "operator-setup");
    assertThat(found.attachedPolicies()).isEmpty();
    assertThat(found.inlinePolicies()).isEmpty();
  }

  @Test
  public void create_returnsArnOfPartitionAccountPathAndName() {
    String name = uniqueName("path");
    RoleSpec spec = new RoleSpec.Builder().name(name).path("/operators/").build();

    Role created = roles().create(spec, irsaTrust(), Map.of());

    Arn expected = Arn.of(partition(), "iam", "", accountId(), "role/operators/" + name);
    assertThat(created.arn()).isEqualTo(expected);
    assertThat(roles().find(name))
        .hasValueSatisfying(
            r -> {
              assertThat(r.arn()).isEqualTo(expected);
              assertThat(r.path()).isEqualTo("/operators/");
            });
  }

  @Test
  public void create_withMaxSessionDuration_roundTrips_andDefaultsToOneHour() {
    String longer = uniqueName("session");
    roles()
        .create(
            new RoleSpec.Builder().name(longer).maxSessionDurationSeconds(7200).build(),
            irsaTrust(),
            Map.of());
    String plain = uniqueName("session");
    createRole(plain);

    assertThat(roles().find(longer).orElseThrow().maxSessionDurationSeconds()).contains(7200);
    assertThat(roles().find(plain).orElseThrow().maxSessionDurationSeconds()).contains(3600);
  }

  @Test
  public void create_existingName_isConflict() {
    String name = uniqueName("dup");
    createRole(name);

    assertThatThrownBy(() -> createRole(name)).isInstanceOf(ResourceConflictException.class);
  }

  @Test
  public void create_withTrustActionOtherThanSts_isMalformed() {
    skipIf(Gap.CREATE_ROLE_ACCEPTS_INVALID_TRUST_POLICY);
    String name = uniqueName("badtrust");

    assertThatThrownBy(
            () ->
                roles()
                    .create(
                        new RoleSpec.Builder().name(name).build(),
                        ServiceTrust.ec2("s3:GetObject"),
                        Map.of()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument");
    assertThat(roles().find(name)).isEmpty();
  }

  @Test
  public void find_unknownRole_isEmpty() {
    assertThat(roles().find(uniqueName("missing"))).isEmpty();
  }

  // ---------------------------------------------------------------------------------- trust

  @Test
  public void updateTrust_replacesTheTrustPolicy() {
    String name = uniqueName("trust");
    createRole(name);
    TrustPolicy replacement = irsaTrust();

    roles().updateTrust(name, replacement);

    assertThat(roles().find(name).orElseThrow().trustPolicy().sameAs(replacement)).isTrue();
  }

  @Test
  public void updateTrust_unknownRole_isNotFound() {
    assertThatThrownBy(() -> roles().updateTrust(uniqueName("missing"), irsaTrust()))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  public void updateTrust_withTrustActionOtherThanSts_isMalformedAndKeepsTheOldOne() {
    String name = uniqueName("trust");
    TrustPolicy original = createRole(name).trustPolicy();

    assertThatThrownBy(() -> roles().updateTrust(name, ServiceTrust.ec2("s3:GetObject")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument");
    assertThat(roles().find(name).orElseThrow().trustPolicy().sameAs(original)).isTrue();
  }

  @Test
  public void updateTrust_withTheSessionActionsIamAllows_isAccepted() {
    String name = uniqueName("trust");
    createRole(name);
    TrustPolicy sessions =
        ServiceTrust.ec2("sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity");

    roles().updateTrust(name, sessions);

    assertThat(roles().find(name).orElseThrow().trustPolicy().sameAs(sessions)).isTrue();
  }

  @Test
  public void updateTrust_withSetContext_isAccepted() {
    skipIf(Gap.TRUST_ACTIONS_DIFFER_FROM_IAM);
    String name = uniqueName("trust");
    createRole(name);
    TrustPolicy context = ServiceTrust.ec2("sts:AssumeRole", "sts:SetContext");

    roles().updateTrust(name, context);

    assertThat(roles().find(name).orElseThrow().trustPolicy().sameAs(context)).isTrue();
  }

  @Test
  public void updateTrust_withStsActionOutsideTheAssumeRoleFamily_isMalformed() {
    skipIf(Gap.TRUST_ACTIONS_DIFFER_FROM_IAM);
    String name = uniqueName("trust");
    createRole(name);

    assertThatThrownBy(() -> roles().updateTrust(name, ServiceTrust.ec2("sts:GetCallerIdentity")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument");
  }

  @Test
  public void create_withFederatedPrincipalOfMissingProvider_isInvalidPrincipal() {
    skipIf(Gap.TRUST_PRINCIPALS_NOT_CHECKED);
    skipIf(Gap.CREATE_ROLE_ACCEPTS_INVALID_TRUST_POLICY);
    String name = uniqueName("principal");

    assertThatThrownBy(
            () ->
                roles()
                    .create(
                        new RoleSpec.Builder().name(name).build(),
                        irsaTrust(freshIssuer()),
                        Map.of()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument")
        .hasMessageContaining("Invalid principal in policy");
    assertThat(roles().find(name)).isEmpty();
  }

  @Test
  public void updateTrust_withFederatedPrincipalOfMissingProvider_isInvalidPrincipal() {
    skipIf(Gap.TRUST_PRINCIPALS_NOT_CHECKED);
    String name = uniqueName("principal");
    TrustPolicy original = createRole(name).trustPolicy();

    assertThatThrownBy(() -> roles().updateTrust(name, irsaTrust(freshIssuer())))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument")
        .hasMessageContaining("Invalid principal in policy");
    assertThat(roles().find(name).orElseThrow().trustPolicy().sameAs(original)).isTrue();
  }

  @Test
  public void updateTrust_withoutStatements_isMalformed() {
    String name = uniqueName("trust");
    createRole(name);
    TrustPolicy empty = new TrustPolicy.Builder().build();

    assertThatThrownBy(() -> roles().updateTrust(name, empty))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument");
  }

  // ---------------------------------------------------------------------------------- managed

  @Test
  public void attachPolicy_thenFind_listsIt() {
    String name = uniqueName("attach");
    createRole(name);

    roles().attachPolicy(name, sageMakerPolicy());

    assertThat(roles().find(name).orElseThrow().attachedPolicies())
        .containsExactly(sageMakerPolicy());
  }

  @Test
  public void attachPolicy_twice_isANoOp() {
    String name = uniqueName("attach");
    createRole(name);

    roles().attachPolicy(name, sageMakerPolicy());
    roles().attachPolicy(name, sageMakerPolicy());

    assertThat(roles().find(name).orElseThrow().attachedPolicies())
        .containsExactly(sageMakerPolicy());
  }

  @Test
  public void attachPolicy_missingPolicy_isNotFound() {
    String name = uniqueName("attach");
    createRole(name);
    Arn missing = Arn.of(partition(), "iam", "", "aws", "policy/" + uniqueName("NoSuchPolicy"));

    assertThatThrownBy(() -> roles().attachPolicy(name, missing))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("does not exist or is not attachable");
    assertThat(roles().find(name).orElseThrow().attachedPolicies()).isEmpty();
  }

  @Test
  public void attachPolicy_unknownRole_isNotFound() {
    assertThatThrownBy(() -> roles().attachPolicy(uniqueName("missing"), sageMakerPolicy()))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  public void attachPolicy_beyondTheQuota_isLimitExceeded() {
    skipIf(Gap.NO_QUOTA_ON_ATTACHED_POLICIES);
    String name = uniqueName("quota");
    createRole(name);
    int attached = 0;
    OperatorSetupException refused = null;
    for (int i = 0; i < 21 && refused == null; i++) {
      Arn policy = seedPolicy(uniqueName("quota-" + i));
      try {
        roles().attachPolicy(name, policy);
        attached++;
      } catch (OperatorSetupException e) {
        refused = e;
      }
    }

    assertThat(refused).as("an attach beyond 20 policies must fail").isNotNull();
    assertThat(refused.getMessage()).contains("LimitExceeded");
    assertThat(refused.retryable()).isFalse();
    assertThat(attached).isBetween(10, 20);
    assertThat(roles().find(name).orElseThrow().attachedPolicies()).hasSize(attached);
  }

  @Test
  public void detachPolicy_attached_returnsTrueAndRemovesIt() {
    String name = uniqueName("detach");
    createRole(name);
    roles().attachPolicy(name, sageMakerPolicy());

    assertThat(roles().detachPolicy(name, sageMakerPolicy())).isTrue();

    assertThat(roles().find(name).orElseThrow().attachedPolicies()).isEmpty();
  }

  @Test
  public void detachPolicy_notAttached_returnsFalse() {
    String name = uniqueName("detach");
    createRole(name);

    assertThat(roles().detachPolicy(name, sageMakerPolicy())).isFalse();
  }

  @Test
  public void detachPolicy_unknownRole_isNotFound() {
    assertThatThrownBy(() -> roles().detachPolicy(uniqueName("missing"), sageMakerPolicy()))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  // ---------------------------------------------------------------------------------- inline

  @Test
  public void putInlinePolicy_thenFind_returnsTheDocumentDecoded() throws Exception {
    String name = uniqueName("inline");
    createRole(name);

    roles().putInlinePolicy(name, "operator-extra", INLINE);

    Map<String, String> inline = roles().find(name).orElseThrow().inlinePolicies();
    assertThat(inline).containsOnlyKeys("operator-extra");
    assertThat(JSON.readTree(inline.get("operator-extra"))).isEqualTo(JSON.readTree(INLINE));
  }

  @Test
  public void putInlinePolicy_unknownRole_isNotFound() {
    assertThatThrownBy(() -> roles().putInlinePolicy(uniqueName("missing"), "p", INLINE))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  public void putInlinePolicy_malformedDocument_isRejected() {
    String name = uniqueName("inline");
    createRole(name);

    assertThatThrownBy(() -> roles().putInlinePolicy(name, "broken", "{not json"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("MalformedPolicyDocument");
    assertThat(roles().find(name).orElseThrow().inlinePolicies()).isEmpty();
  }

  @Test
  public void deleteInlinePolicy_returnsTrueOnceThenFalse() {
    String name = uniqueName("inline");
    createRole(name);
    roles().putInlinePolicy(name, "operator-extra", INLINE);

    assertThat(roles().deleteInlinePolicy(name, "operator-extra")).isTrue();
    assertThat(roles().deleteInlinePolicy(name, "operator-extra")).isFalse();
    assertThat(roles().find(name).orElseThrow().inlinePolicies()).isEmpty();
  }

  // ---------------------------------------------------------------------------------- tags

  @Test
  public void tag_addsNewTagsAndOverwritesExistingOnes() {
    String name = uniqueName("tag");
    roles()
        .create(
            new RoleSpec.Builder().name(name).build(), irsaTrust(), Map.of("team", "ml", "a", "1"));
    Map<String, String> update = new LinkedHashMap<>();
    update.put("team", "platform");
    update.put("cost-center", "42");

    roles().tag(name, update);

    assertThat(roles().find(name).orElseThrow().tags())
        .containsOnly(
            Map.entry("team", "platform"), Map.entry("a", "1"), Map.entry("cost-center", "42"));
  }

  @Test
  public void tag_unknownRole_isNotFound() {
    assertThatThrownBy(() -> roles().tag(uniqueName("missing"), Map.of("team", "ml")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  // ---------------------------------------------------------------------------------- delete

  @Test
  public void delete_existingRole_returnsTrueAndRemovesIt() {
    String name = uniqueName("delete");
    createRole(name);

    assertThat(roles().delete(name)).isTrue();

    assertThat(roles().find(name)).isEmpty();
  }

  @Test
  public void delete_unknownRole_returnsFalse() {
    assertThat(roles().delete(uniqueName("missing"))).isFalse();
  }

  @Test
  public void delete_withAttachedPolicy_isConflictAndKeepsTheRole() {
    String name = uniqueName("delete");
    createRole(name);
    roles().attachPolicy(name, sageMakerPolicy());

    assertThatThrownBy(() -> roles().delete(name))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("DeleteConflict");
    assertThat(roles().find(name)).isPresent();
  }

  @Test
  public void delete_withInlinePolicy_isConflictAndKeepsTheRole() {
    String name = uniqueName("delete");
    createRole(name);
    roles().putInlinePolicy(name, "operator-extra", INLINE);

    assertThatThrownBy(() -> roles().delete(name))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("DeleteConflict");
    assertThat(roles().find(name)).isPresent();
  }

  @Test
  public void delete_afterDetachingAndDeletingPolicies_succeeds() {
    String name = uniqueName("delete");
    createRole(name);
    roles().attachPolicy(name, sageMakerPolicy());
    roles().putInlinePolicy(name, "operator-extra", INLINE);

    roles().detachPolicy(name, sageMakerPolicy());
    roles().deleteInlinePolicy(name, "operator-extra");

    assertThat(roles().delete(name)).isTrue();
    assertThat(roles().find(name)).isEmpty();
  }
}
