package dev.operatorsetup.internal;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.port.Kubernetes;
import java.util.List;
import java.util.Optional;

/**
 * What the steps of one operation share: the facts read first, the cluster (present for install),
 * the connection to its API server and the objects to apply (absent when AWS-only), and what an
 * earlier step already read, so that a later one need not read it again.
 */
public final class Scope {
  private final Facts facts;
  private final Optional<FoundCluster> cluster;
  private Optional<Kubernetes> kubernetes = Optional.empty();
  private List<KubeObject> desired = List.of();
  private Optional<OidcProvider> provider = Optional.empty();
  private Optional<Role> role = Optional.empty();
  private boolean roleKnown;
  private final java.util.Map<dev.operatorsetup.model.ObjectRef, Seen> seen =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * An object as the manifest step found it before applying, and what it decided.
   *
   * @param live the object before the step applied anything, empty if it did not exist
   */
  public record Seen(Optional<KubeObject> live, dev.operatorsetup.model.ChangeAction action) {}

  private boolean roleCreated;

  Scope(Facts facts) {
    this.facts = facts;
    this.cluster = facts.cluster();
  }

  /** Adds the connection to the cluster's API server and the objects to apply there. */
  void connect(Kubernetes kubernetes, List<KubeObject> desired) {
    this.kubernetes = Optional.of(kubernetes);
    this.desired = List.copyOf(desired);
  }

  public Facts facts() {
    return facts;
  }

  /** The cluster; install and plan only run when it exists. */
  public FoundCluster cluster() {
    return cluster.orElseThrow();
  }

  public Optional<FoundCluster> foundCluster() {
    return cluster;
  }

  public Optional<Kubernetes> kubernetes() {
    return kubernetes;
  }

  /** The objects to apply, in apply order; empty when AWS-only. */
  public List<KubeObject> desired() {
    return desired;
  }

  /** The IAM OIDC provider as read before the first write. */
  public Optional<OidcProvider> provider() {
    return provider;
  }

  void provider(Optional<OidcProvider> provider) {
    this.provider = provider;
  }

  /** Returns the role as it is now, if a step knows that without reading it again. */
  public Optional<Optional<Role>> knownRole() {
    return roleKnown ? Optional.of(role) : Optional.empty();
  }

  /** Remembers the role as it is now ({@code empty}: it does not exist). */
  public void knowRole(Optional<Role> role) {
    this.role = role;
    this.roleKnown = true;
  }

  /** Remembers how the manifest step found an object, so that a later step need not read it. */
  public void saw(dev.operatorsetup.model.ObjectRef ref, Seen seen) {
    this.seen.put(ref, seen);
  }

  /** Returns how the manifest step found the object, if it did. */
  public Optional<Seen> seen(dev.operatorsetup.model.ObjectRef ref) {
    return Optional.ofNullable(seen.get(ref));
  }

  /** Remembers that this run created the role, which IAM may not show at once. */
  public void roleCreated() {
    this.roleCreated = true;
  }

  /** Returns whether this run created the role. */
  public boolean isRoleCreated() {
    return roleCreated;
  }

  /** Forgets the role, after a change that the step cannot describe without reading it. */
  public void forgetRole() {
    this.roleKnown = false;
  }
}
