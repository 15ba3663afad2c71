package dev.operatorsetup.aws;

import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.Roles;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.GetRoleResponse;

/**
 * {@link Roles} over IAM. Trust policies and inline documents are read back URL-decoded, as IAM
 * returns them encoded. IAM is eventually consistent: after CreateRole this waits (bounded) until
 * GetRole sees the role, and for a while after that makes a change that fails with NoSuchEntity for
 * the role again. These are waits for IAM's consistency, not retries of failed calls: a throttled
 * or failed change is not made again here (see {@link AwsPorts} on retries).
 */
final class SdkIamRoles implements Roles {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);
  private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

  private final IamClient iam;
  private final Duration consistencyTimeout;
  private final Map<String, Instant> freshUntil = new ConcurrentHashMap<>();

  /**
   * @param consistencyTimeout how long to wait for a new role to become visible, and to retry
   *     changes to it that fail with NoSuchEntity
   */
  SdkIamRoles(IamClient iam, Duration consistencyTimeout) {
    this.iam = iam;
    this.consistencyTimeout = consistencyTimeout;
  }

  private static String subject(String name) {
    return "IAM role '" + name + "'";
  }

  private static ResourceNotFoundException roleNotFound(
      String action, String name, SdkException e) {
    return new ResourceNotFoundException(
        subject(name)
            + " does not exist ("
            + action
            + " said "
            + AwsErrors.code(e)
            + ": "
            + AwsErrors.awsMessage(e)
            + "). Fix: create it first, or check the role name.",
        e);
  }

  // -------------------------------------------------------------------------------------- read

  @Override
  public Optional<Role> find(String name) {
    try {
      GetRoleResponse response;
      try {
        response = iam.getRole(r -> r.roleName(name));
      } catch (SdkException e) {
        if (AwsErrors.isNotFound(e)) {
          LOG.debug("call=iam:GetRole role={} found=false", name);
          return Optional.empty();
        }
        throw e;
      }
      software.amazon.awssdk.services.iam.model.Role r = response.role();
      Role.Builder role =
          new Role.Builder()
              .name(r.roleName())
              .arn(Arn.parse("role ARN", r.arn()))
              .path(r.path() == null ? "/" : r.path())
              .trustPolicy(TrustPolicy.parse(decode(r.assumeRolePolicyDocument())));
      Optional.ofNullable(r.description()).filter(d -> !d.isEmpty()).ifPresent(role::description);
      Optional.ofNullable(r.maxSessionDuration()).ifPresent(role::maxSessionDurationSeconds);
      if (r.permissionsBoundary() != null
          && r.permissionsBoundary().permissionsBoundaryArn() != null) {
        role.permissionsBoundary(
            Arn.parse("permissions boundary", r.permissionsBoundary().permissionsBoundaryArn()));
      }
      iam.listAttachedRolePoliciesPaginator(b -> b.roleName(name))
          .attachedPolicies()
          .forEach(p -> role.addAttachedPolicy(Arn.parse("policy ARN", p.policyArn())));
      Map<String, String> inline = new LinkedHashMap<>();
      for (String policyName : iam.listRolePoliciesPaginator(b -> b.roleName(name)).policyNames()) {
        String document =
            iam.getRolePolicy(b -> b.roleName(name).policyName(policyName)).policyDocument();
        inline.put(policyName, decode(document));
      }
      role.inlinePolicies(inline);
      Map<String, String> tags = new LinkedHashMap<>();
      iam.listRoleTagsPaginator(b -> b.roleName(name))
          .tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      role.tags(tags);
      LOG.debug(
          "call=iam:GetRole role={} found=true inlinePolicies={} tags={}",
          name,
          inline.size(),
          tags.size());
      return Optional.of(role.build());
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        // Deleted while it was being read.
        return Optional.empty();
      }
      throw AwsErrors.map("iam:GetRole", subject(name), e);
    }
  }

  /** Decodes a policy document IAM returned URL-encoded; leaves plain JSON as it is. */
  static String decode(String document) {
    if (document == null) {
      return "";
    }
    String trimmed = document.trim();
    return trimmed.startsWith("%") ? URLDecoder.decode(trimmed, StandardCharsets.UTF_8) : trimmed;
  }

  // ------------------------------------------------------------------------------------ create

  @Override
  public Role create(RoleSpec spec, TrustPolicy trust, Map<String, String> tags) {
    String name = spec.name();
    String document = trust.toCompactJson();
    Map<String, String> allTags = new LinkedHashMap<>(spec.tags());
    allTags.putAll(tags);
    CreateRoleResponse response;
    try {
      response =
          iam.createRole(
              b -> {
                b.roleName(name).path(spec.path()).assumeRolePolicyDocument(document);
                spec.description().ifPresent(b::description);
                spec.maxSessionDurationSeconds().ifPresent(b::maxSessionDuration);
                spec.permissionsBoundary().ifPresent(p -> b.permissionsBoundary(p.toString()));
                if (!allTags.isEmpty()) {
                  b.tags(SdkIamOidcProviders.toTags(allTags));
                }
              });
    } catch (SdkException e) {
      throw AwsErrors.map("iam:CreateRole", subject(name), "trust policy", document, e);
    }
    freshUntil.put(key(name), Instant.now().plus(consistencyTimeout));
    LOG.debug("Created IAM role {}", response.role().arn());
    awaitVisible(name);
    software.amazon.awssdk.services.iam.model.Role r = response.role();
    Role.Builder role =
        new Role.Builder()
            .name(name)
            .arn(Arn.parse("role ARN", r.arn()))
            .path(r.path() == null ? spec.path() : r.path())
            .trustPolicy(
                r.assumeRolePolicyDocument() == null
                    ? trust
                    : TrustPolicy.parse(decode(r.assumeRolePolicyDocument())))
            .tags(allTags)
            .description(spec.description())
            .permissionsBoundary(spec.permissionsBoundary());
    Optional.ofNullable(r.maxSessionDuration())
        .or(spec::maxSessionDurationSeconds)
        .ifPresent(role::maxSessionDurationSeconds);
    return role.build();
  }

  /**
   * Waits (bounded by the consistency timeout) until GetRole sees the new role. A wait, not a
   * retry: NoSuchEntity, throttling and 5xx answers mean "not yet", anything else fails.
   */
  private void awaitVisible(String name) {
    Instant until = Instant.now().plus(consistencyTimeout);
    Duration delay = FIRST_RETRY_DELAY;
    String last = "GetRole has not seen it yet";
    while (true) {
      try {
        iam.getRole(r -> r.roleName(name));
        return;
      } catch (SdkException e) {
        OperatorSetupException mapped = AwsErrors.map("iam:GetRole", subject(name), e);
        if (!AwsErrors.isNotFound(e) && !mapped.retryable()) {
          throw mapped;
        }
        last = "GetRole said " + AwsErrors.code(e) + ": " + AwsErrors.awsMessage(e);
      }
      Duration left = Duration.between(Instant.now(), until);
      if (left.isNegative() || left.isZero()) {
        throw new WaitTimeoutException(
            subject(name) + " to become visible in IAM", consistencyTimeout, last);
      }
      sleep(delay.compareTo(left) < 0 ? delay : left, "iam:GetRole", name);
      delay =
          delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) < 0
              ? delay.multipliedBy(2)
              : MAX_RETRY_DELAY;
    }
  }

  // ----------------------------------------------------------------------------------- changes

  @Override
  public void updateTrust(String name, TrustPolicy trust) {
    String document = trust.toCompactJson();
    String action = "iam:UpdateAssumeRolePolicy";
    change(
        name,
        action,
        e -> true,
        () -> iam.updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(document)),
        e -> AwsErrors.map(action, subject(name), "trust policy", document, e));
    LOG.debug("Updated the trust policy of IAM role {}", name);
  }

  @Override
  public void attachPolicy(String name, Arn policy) {
    String action = "iam:AttachRolePolicy";
    Predicate<SdkException> aboutPolicy =
        e -> {
          String m = AwsErrors.awsMessage(e);
          return m.contains("attachable") || m.contains(policy.toString());
        };
    change(
        name,
        action,
        aboutPolicy.negate(),
        () -> iam.attachRolePolicy(b -> b.roleName(name).policyArn(policy.toString())),
        e -> {
          if ((AwsErrors.isNotFound(e) || AwsErrors.is(e, "PolicyNotAttachable"))
              && (aboutPolicy.test(e) || AwsErrors.is(e, "PolicyNotAttachable"))) {
            return new ResourceNotFoundException(
                "Policy "
                    + policy
                    + " does not exist or is not attachable ("
                    + action
                    + " said "
                    + AwsErrors.code(e)
                    + ": "
                    + AwsErrors.awsMessage(e)
                    + "), so it cannot be attached to "
                    + subject(name)
                    + ". Fix: check the policy ARN and its partition.",
                e);
          }
          return AwsErrors.map(action, subject(name), e);
        });
    LOG.debug("Attached {} to IAM role {}", policy, name);
  }

  @Override
  public boolean detachPolicy(String name, Arn policy) {
    String action = "iam:DetachRolePolicy";
    try {
      iam.detachRolePolicy(b -> b.roleName(name).policyArn(policy.toString()));
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        if (!exists(name)) {
          throw roleNotFound(action, name, e);
        }
        LOG.debug("call={} role={} policy={} attached=false", action, name, policy);
        return false;
      }
      throw AwsErrors.map(action, subject(name), e);
    }
    LOG.debug("Detached {} from IAM role {}", policy, name);
    return true;
  }

  @Override
  public void putInlinePolicy(String name, String policyName, String document) {
    String action = "iam:PutRolePolicy";
    change(
        name,
        action,
        e -> true,
        () ->
            iam.putRolePolicy(
                b -> b.roleName(name).policyName(policyName).policyDocument(document)),
        e ->
            AwsErrors.map(
                action, subject(name), "inline policy '" + policyName + "'", document, e));
    LOG.debug("Put inline policy {} on IAM role {}", policyName, name);
  }

  @Override
  public boolean deleteInlinePolicy(String name, String policyName) {
    String action = "iam:DeleteRolePolicy";
    try {
      iam.deleteRolePolicy(b -> b.roleName(name).policyName(policyName));
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        if (!exists(name)) {
          throw roleNotFound(action, name, e);
        }
        LOG.debug("call={} role={} policy={} existed=false", action, name, policyName);
        return false;
      }
      throw AwsErrors.map(action, subject(name), e);
    }
    LOG.debug("Deleted inline policy {} of IAM role {}", policyName, name);
    return true;
  }

  @Override
  public void tag(String name, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    String action = "iam:TagRole";
    change(
        name,
        action,
        e -> true,
        () -> iam.tagRole(b -> b.roleName(name).tags(SdkIamOidcProviders.toTags(tags))),
        e -> AwsErrors.map(action, subject(name), "role tags", tags.toString(), e));
    LOG.debug("Tagged IAM role {} with {}", name, tags.keySet());
  }

  @Override
  public boolean delete(String name) {
    try {
      iam.deleteRole(b -> b.roleName(name));
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        LOG.debug("call=iam:DeleteRole role={} existed=false", name);
        return false;
      }
      throw AwsErrors.map("iam:DeleteRole", subject(name), e);
    }
    freshUntil.remove(key(name));
    LOG.debug("Deleted IAM role {}", name);
    return true;
  }

  @Override
  public Map<String, TrustPolicy> trustPolicies() {
    return IamRoleTrustPolicies.list(iam);
  }

  // ---------------------------------------------------------------------------------- helpers

  private boolean exists(String name) {
    try {
      iam.getRole(r -> r.roleName(name));
      return true;
    } catch (SdkException e) {
      if (AwsErrors.isNotFound(e)) {
        return false;
      }
      throw AwsErrors.map("iam:GetRole", subject(name), e);
    }
  }

  /**
   * Makes a change to a role. NoSuchEntity about the role is retried while the role is new (IAM may
   * not show it everywhere yet); otherwise it is {@link ResourceNotFoundException}.
   */
  private void change(
      String name,
      String action,
      Predicate<SdkException> notFoundIsAboutRole,
      Runnable call,
      java.util.function.Function<SdkException, OperatorSetupException> mapper) {
    Duration delay = FIRST_RETRY_DELAY;
    while (true) {
      try {
        call.run();
        return;
      } catch (SdkException e) {
        boolean roleMissing = AwsErrors.isNotFound(e) && notFoundIsAboutRole.test(e);
        if (roleMissing) {
          Instant until = freshUntil.get(key(name));
          Instant now = Instant.now();
          if (until != null && now.isBefore(until)) {
            Duration left = Duration.between(now, until);
            Duration pause = delay.compareTo(left) < 0 ? delay : left;
            LOG.debug(
                "call={} role={} NoSuchEntity on a new role; retrying in {} ms",
                action,
                name,
                pause.toMillis());
            sleep(pause, action, name);
            delay =
                delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) < 0
                    ? delay.multipliedBy(2)
                    : MAX_RETRY_DELAY;
            continue;
          }
          throw roleNotFound(action, name, e);
        }
        throw mapper.apply(e);
      }
    }
  }

  private static void sleep(Duration pause, String action, String name) {
    try {
      Thread.sleep(Math.max(1, pause.toMillis()));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new OperatorSetupException(
          "Interrupted while waiting on " + action + " for " + subject(name) + ".", ie, true);
    }
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
