package dev.operatorsetup.internal.step;

import dev.operatorsetup.internal.Json;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.Settings;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The role's managed policies (the target's defaults unless given) and inline policies. */
public final class PolicyStep implements Step {
  @Override
  public boolean aws() {
    return true;
  }

  /** The role as an earlier step left it, read again only when no step can tell. */
  static Optional<Role> currentRole(Run run, Scope scope) {
    if (scope.knownRole().isPresent()) {
      return scope.knownRole().get();
    }
    String name = run.settings().role().name();
    Optional<Role> role = run.call("iam:GetRole", () -> run.aws().roles().find(name));
    scope.knowRole(role);
    return role;
  }

  @Override
  public void converge(Run run, Scope scope) {
    Settings s = run.settings();
    String name = s.role().name();
    Optional<Role> role = currentRole(run, scope);
    List<Arn> attached = role.map(Role::attachedPolicies).orElse(List.of());
    List<Arn> attaching = new ArrayList<>();
    for (Arn policy : scope.facts().policies()) {
      String resource = "iam:role/" + name + " policy " + policy.resourceName();
      if (attached.contains(policy)) {
        run.record(Change.of(resource, ChangeAction.UNCHANGED, "attached"));
      } else {
        attaching.add(policy);
        run.change(
            Change.of(resource, ChangeAction.CREATE, "attach " + policy),
            () ->
                onRole(
                    run,
                    scope,
                    "iam:AttachRolePolicy",
                    () -> run.aws().roles().attachPolicy(name, policy)));
      }
    }
    role.ifPresent(r -> recordAttached(run, r, attaching));
    Map<String, String> inline = role.map(Role::inlinePolicies).orElse(Map.of());
    s.role()
        .inlinePolicies()
        .forEach((policy, document) -> putInline(run, scope, inline, policy, document));
  }

  /** Adds what install attached now to the role's {@link AttachedTag}, if it is not there. */
  private static void recordAttached(Run run, Role role, List<Arn> attaching) {
    Set<String> recorded = AttachedTag.read(role.tags());
    Set<String> wanted = new LinkedHashSet<>(recorded);
    wanted.addAll(AttachedTag.names(attaching));
    if (wanted.equals(recorded)) {
      return;
    }
    AttachedTag.Encoded tag = AttachedTag.encode(wanted);
    String name = run.settings().role().name();
    String detail =
        "records the policies install attached, to detach them on uninstall: "
            + tag.value()
            + (tag.left().isEmpty()
                ? ""
                : "; " + tag.left() + " do not fit in the tag and stay attached on uninstall");
    run.change(
        Change.of("iam:role/" + name + " tag " + AttachedTag.KEY, ChangeAction.UPDATE, detail),
        () ->
            run.run(
                "iam:TagRole",
                () -> run.aws().roles().tag(name, Map.of(AttachedTag.KEY, tag.value()))));
  }

  /**
   * Writes to the role; right after this run created it, IAM may not show it yet, so "not found" is
   * waited out ({@link Run#runOnNew}).
   */
  private static void onRole(Run run, Scope scope, String what, Runnable write) {
    if (scope.isRoleCreated()) {
      run.runOnNew(what, write);
    } else {
      run.run(what, write);
    }
  }

  private static void putInline(
      Run run, Scope scope, Map<String, String> have, String policy, String document) {
    String name = run.settings().role().name();
    String resource = "iam:role/" + name + " inline " + policy;
    String current = have.get(policy);
    if (current != null && Json.sameJson(current, document)) {
      run.record(Change.of(resource, ChangeAction.UNCHANGED, "up to date"));
      return;
    }
    run.change(
        Change.of(
            resource,
            current == null ? ChangeAction.CREATE : ChangeAction.UPDATE,
            current == null ? "put inline policy" : "inline policy differs"),
        () ->
            onRole(
                run,
                scope,
                "iam:PutRolePolicy",
                () -> run.aws().roles().putInlinePolicy(name, policy, document)));
  }

  /**
   * Detaches and deletes what operator-setup put on the role. From a role it created and deletes:
   * everything. From a role it keeps (not its own, or still trusted by other statements): only the
   * managed policies its tag says install attached, and (on its own role) the inline policies of
   * these settings; what it found attached is left. When a remaining statement lets the operator's
   * ServiceAccount in through another cluster, that install needs the policies: they stay.
   */
  @Override
  public void uninstall(Run run, Scope scope) {
    Optional<Role> found = currentRole(run, scope);
    if (found.isEmpty()) {
      return;
    }
    Role role = found.get();
    boolean created = Tags.isOurs(role.tags());
    List<TrustStatement> others = RoleTrust.others(run, scope, role);
    boolean deleted = created && others.isEmpty();
    if (!deleted && servesTheOperatorElsewhere(run, others)) {
      return; // the role step says what it keeps
    }
    Set<String> ours = AttachedTag.read(role.tags());
    for (Arn policy : role.attachedPolicies()) {
      if (deleted || ours.contains(policy.resourceName())) {
        detach(run, policy, "detach " + policy + (deleted ? "" : " (install attached it)"));
      }
    }
    for (String inline : role.inlinePolicies().keySet()) {
      if (deleted || (created && run.settings().role().inlinePolicies().containsKey(inline))) {
        deleteInline(run, inline);
      }
    }
    if (!deleted && !ours.isEmpty()) {
      String name = run.settings().role().name();
      run.change(
          Change.of(
              "iam:role/" + name + " tag " + AttachedTag.KEY,
              ChangeAction.UPDATE,
              "cleared: the policies it named are detached"),
          () ->
              run.run(
                  "iam:TagRole", () -> run.aws().roles().tag(name, Map.of(AttachedTag.KEY, ""))));
    }
  }

  private static boolean servesTheOperatorElsewhere(Run run, List<TrustStatement> others) {
    String subject = run.settings().serviceAccount().subject();
    return others.stream()
        .flatMap(st -> st.conditions().values().stream())
        .flatMap(keys -> keys.entrySet().stream())
        .anyMatch(e -> e.getKey().endsWith(":sub") && e.getValue().contains(subject));
  }

  private static void detach(Run run, Arn policy, String detail) {
    String name = run.settings().role().name();
    run.change(
        Change.of(
            "iam:role/" + name + " policy " + policy.resourceName(), ChangeAction.DELETE, detail),
        () -> run.call("iam:DetachRolePolicy", () -> run.aws().roles().detachPolicy(name, policy)));
  }

  private static void deleteInline(Run run, String inline) {
    String name = run.settings().role().name();
    run.change(
        Change.of(
            "iam:role/" + name + " inline " + inline, ChangeAction.DELETE, "delete inline policy"),
        () ->
            run.call(
                "iam:DeleteRolePolicy", () -> run.aws().roles().deleteInlinePolicy(name, inline)));
  }

  @Override
  public void check(Checkup checkup) {
    Run run = checkup.run();
    Optional<Role> role = currentRole(run, checkup.scope());
    if (role.isEmpty()) {
      return; // the role step reports it
    }
    List<Arn> wanted = checkup.scope().facts().policies();
    List<Arn> missing =
        wanted.stream().filter(p -> !role.get().attachedPolicies().contains(p)).toList();
    if (missing.isEmpty()) {
      checkup.pass("role-policies", "attached: " + wanted);
    } else {
      checkup.fail(
          "role-policies",
          role.get().arn() + " lacks " + missing + " (AccessDenied from SageMaker)",
          "run install, or aws iam attach-role-policy --role-name "
              + run.settings().role().name()
              + " --policy-arn "
              + missing.get(0));
    }
  }
}
