package dev.operatorsetup.port;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import java.util.Map;
import java.util.Optional;

/**
 * IAM roles as this library uses them. Implementations are thread-safe. Errors are mapped: an
 * unknown role is {@link dev.operatorsetup.ResourceNotFoundException}, a duplicate {@link
 * dev.operatorsetup.ResourceConflictException}.
 */
public interface Roles {
  /** Returns the role with its trust policy, policies and tags, or empty. */
  Optional<Role> find(String name);

  /**
   * Creates the role with the spec's name, path, description, session duration and boundary, and
   * the given tags (the spec's tags plus ownership). Does not attach policies.
   */
  Role create(RoleSpec spec, TrustPolicy trust, Map<String, String> tags);

  void updateTrust(String name, TrustPolicy trust);

  void attachPolicy(String name, Arn policy);

  /** Detaches; returns false if the policy was not attached. */
  boolean detachPolicy(String name, Arn policy);

  void putInlinePolicy(String name, String policyName, String document);

  boolean deleteInlinePolicy(String name, String policyName);

  void tag(String name, Map<String, String> tags);

  /**
   * Deletes the role; returns false if it did not exist.
   *
   * @throws dev.operatorsetup.ResourceConflictException if policies are still attached
   */
  boolean delete(String name);

  /**
   * Returns the trust policy of every role of the account, by role name (IAM ListRoles, every
   * page), so that a shared OIDC provider is only deleted when no other role trusts it.
   *
   * @throws UnsupportedOperationException if this implementation cannot list roles
   */
  default Map<String, TrustPolicy> trustPolicies() {
    throw new UnsupportedOperationException(getClass().getName() + " cannot list roles");
  }
}
