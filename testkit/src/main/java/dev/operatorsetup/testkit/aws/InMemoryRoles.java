package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.testkit.Recorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** IAM roles of the fake account, checked as IAM checks them. */
final class InMemoryRoles extends AccountService implements Roles {
  /** IAM's default quota of managed policies attached to one role (adjustable up to 20). */
  static final int MAX_ATTACHED_POLICIES = 10;

  /** The session duration IAM gives a role created without one. */
  static final int DEFAULT_MAX_SESSION_SECONDS = 3600;

  private final Partition partition;

  InMemoryRoles(AwsAccount aws, Partition partition, Recorder recorder) {
    super(aws, recorder);
    this.partition = partition;
  }

  @Override
  public Optional<Role> find(String name) {
    return read(
        "GetRole",
        () -> {
          IamInput.roleName(name);
          return Optional.ofNullable(aws.roles.get(key(name)))
              .filter(AwsAccount::visible)
              .map(InMemoryRoles::toModel);
        });
  }

  @Override
  public Role create(RoleSpec spec, TrustPolicy trust, Map<String, String> tags) {
    return write(
        "CreateRole",
        () -> {
          checkSpec(spec);
          String document = trust.toCompactJson();
          Map<String, String> allTags = new LinkedHashMap<>();
          InMemoryIamRules.putTags(allTags, spec.tags());
          InMemoryIamRules.putTags(allTags, tags);
          InMemoryIamRules.checkTags("role tag", Map.of(), allTags);
          InMemoryIamRules.checkTrustPolicy(document, aws::hasProvider);
          if (aws.roles.containsKey(key(spec.name()))) {
            throw new ResourceConflictException(
                "IAM role '"
                    + spec.name()
                    + "' already exists (EntityAlreadyExists). Fix: pick another name with"
                    + " .withRole(...), or adopt the existing role.");
          }
          spec.permissionsBoundary()
              .ifPresent(
                  b -> {
                    if (!aws.policies.containsKey(b)) {
                      throw new ResourceNotFoundException(
                          "Permissions boundary "
                              + b
                              + " does not exist or is not attachable (NoSuchEntity). Fix: use"
                              + " the ARN of an existing managed policy.");
                    }
                  });
          AwsAccount.RoleState role =
              new AwsAccount.RoleState(
                  spec.name(),
                  spec.path(),
                  aws.nextId("AROA"),
                  Arn.of(partition, "iam", "", aws.account(), "role" + spec.path() + spec.name()));
          role.trustEncoded = InMemoryIamRules.encode(document);
          role.description = spec.description();
          role.maxSessionDurationSeconds =
              spec.maxSessionDurationSeconds().or(() -> Optional.of(DEFAULT_MAX_SESSION_SECONDS));
          role.permissionsBoundary = spec.permissionsBoundary();
          role.tags.putAll(allTags);
          role.visibleAtNanos = aws.visibleAtNanos();
          aws.roles.put(key(spec.name()), role);
          return toModel(role);
        });
  }

  @Override
  public void updateTrust(String name, TrustPolicy trust) {
    write(
        "UpdateAssumeRolePolicy",
        () -> {
          AwsAccount.RoleState role = existing(name);
          String document = trust.toCompactJson();
          InMemoryIamRules.checkTrustPolicy(document, aws::hasProvider);
          role.trustEncoded = InMemoryIamRules.encode(document);
        });
  }

  @Override
  public void attachPolicy(String name, Arn policy) {
    write(
        "AttachRolePolicy",
        () -> {
          AwsAccount.RoleState role = existing(name);
          Boolean attachable = aws.policies.get(policy);
          if (attachable == null || !attachable || policy.partition() != role.arn.partition()) {
            throw new ResourceNotFoundException(
                "Policy "
                    + policy
                    + " does not exist or is not attachable (NoSuchEntity), so it cannot be"
                    + " attached to IAM role '"
                    + name
                    + "'. Fix: check the policy ARN and its partition.");
          }
          if (role.attached.contains(policy)) {
            return;
          }
          if (role.attached.size() >= MAX_ATTACHED_POLICIES) {
            throw new OperatorSetupException(
                "Cannot attach "
                    + policy
                    + " to IAM role '"
                    + name
                    + "' (LimitExceeded: Cannot exceed quota for PoliciesPerRole: "
                    + MAX_ATTACHED_POLICIES
                    + "). Fix: detach policies the role does not need, or combine them.");
          }
          role.attached.add(policy);
        });
  }

  @Override
  public boolean detachPolicy(String name, Arn policy) {
    return write("DetachRolePolicy", () -> existing(name).attached.remove(policy));
  }

  @Override
  public void putInlinePolicy(String name, String policyName, String document) {
    write(
        "PutRolePolicy",
        () -> {
          AwsAccount.RoleState role = existing(name);
          IamInput.policyName(policyName);
          InMemoryIamRules.checkPermissionsPolicy("inline policy '" + policyName + "'", document);
          role.inlineEncoded.put(policyName, InMemoryIamRules.encode(document));
        });
  }

  @Override
  public boolean deleteInlinePolicy(String name, String policyName) {
    return write("DeleteRolePolicy", () -> existing(name).inlineEncoded.remove(policyName) != null);
  }

  @Override
  public void tag(String name, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    write(
        "TagRole",
        () -> {
          AwsAccount.RoleState role = existing(name);
          InMemoryIamRules.checkTags("role tag", role.tags, tags);
          InMemoryIamRules.putTags(role.tags, tags);
        });
  }

  @Override
  public boolean delete(String name) {
    return write(
        "DeleteRole",
        () -> {
          AwsAccount.RoleState role = aws.roles.get(key(name));
          if (role == null) {
            return false;
          }
          if (!role.attached.isEmpty()) {
            throw new ResourceConflictException(
                "Cannot delete IAM role '"
                    + name
                    + "' (DeleteConflict: Cannot delete entity, must detach all policies"
                    + " first). Fix: detach its managed policies, then delete it.");
          }
          if (!role.inlineEncoded.isEmpty()) {
            throw new ResourceConflictException(
                "Cannot delete IAM role '"
                    + name
                    + "' (DeleteConflict: Cannot delete entity, must delete policies first)."
                    + " Fix: delete its inline policies, then delete it.");
          }
          aws.roles.remove(key(name));
          return true;
        });
  }

  @Override
  public Map<String, TrustPolicy> trustPolicies() {
    return read(
        "ListRoles",
        () -> {
          Map<String, TrustPolicy> out = new LinkedHashMap<>();
          aws.roles.values().stream()
              .filter(AwsAccount::visible)
              .forEach(r -> out.put(r.name, TrustPolicy.parse(r.trustEncoded)));
          return out;
        });
  }

  /** CreateRole's checks of its parameters, as IAM documents them. */
  private static void checkSpec(RoleSpec spec) {
    IamInput.roleName(spec.name());
    IamInput.path(spec.path());
    spec.description().ifPresent(IamInput::description);
    spec.maxSessionDurationSeconds().ifPresent(IamInput::maxSessionDuration);
    spec.permissionsBoundary().ifPresent(b -> IamInput.policyArn(b.toString()));
  }

  /** The role, if it exists and IAM's eventual consistency lets this call see it. */
  private AwsAccount.RoleState existing(String name) {
    IamInput.roleName(name);
    AwsAccount.RoleState role = aws.roles.get(key(name));
    if (role == null || !AwsAccount.visible(role)) {
      throw new ResourceNotFoundException(
          "IAM role '"
              + name
              + "' does not exist (NoSuchEntity). Fix: create it first, or check the role name.");
    }
    return role;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static Role toModel(AwsAccount.RoleState r) {
    Map<String, String> inline = new LinkedHashMap<>();
    r.inlineEncoded.forEach((k, v) -> inline.put(k, InMemoryIamRules.decode(v)));
    return new Role.Builder()
        .name(r.name)
        .arn(r.arn)
        .path(r.path)
        .trustPolicy(TrustPolicy.parse(r.trustEncoded))
        .attachedPolicies(List.copyOf(r.attached))
        .inlinePolicies(inline)
        .tags(r.tags)
        .description(r.description)
        .maxSessionDurationSeconds(r.maxSessionDurationSeconds)
        .permissionsBoundary(r.permissionsBoundary)
        .build();
  }
}
