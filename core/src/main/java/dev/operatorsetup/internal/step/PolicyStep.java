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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The role's managed policies (the target's defaults unless given) and inline policies. */
public final class PolicyStep implements Step {
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
    for (Arn policy : scope.facts().policies()) {
      String resource = "iam:role/" + name + " policy " + policy.resourceName();
      if (attached.contains(policy)) {
        run.record(Change.of(resource, ChangeAction.UNCHANGED, "attached"));
      } else {
        run.change(
            Change.of(resource, ChangeAction.CREATE, "attach " + policy),
            () ->
                run.run(
                    "iam:AttachRolePolicy", () -> run.aws().roles().attachPolicy(name, policy)));
      }
    }
    Map<String, String> inline = role.map(Role::inlinePolicies).orElse(Map.of());
    s.role()
        .inlinePolicies()
        .forEach((policy, document) -> putInline(run, inline, policy, document));
  }

  private static void putInline(Run run, Map<String, String> have, String policy, String document) {
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
            run.run(
                "iam:PutRolePolicy",
                () -> run.aws().roles().putInlinePolicy(name, policy, document)));
  }

  @Override
  public void uninstall(Run run, Scope scope) {
    Optional<Role> role = currentRole(run, scope);
    if (role.isEmpty() || !Tags.isOurs(role.get().tags())) {
      return; // the role step says why it is kept
    }
    String name = run.settings().role().name();
    for (Arn policy : role.get().attachedPolicies()) {
      run.change(
          Change.of(
              "iam:role/" + name + " policy " + policy.resourceName(),
              ChangeAction.DELETE,
              "detach " + policy),
          () ->
              run.call("iam:DetachRolePolicy", () -> run.aws().roles().detachPolicy(name, policy)));
    }
    for (String inline : role.get().inlinePolicies().keySet()) {
      run.change(
          Change.of(
              "iam:role/" + name + " inline " + inline,
              ChangeAction.DELETE,
              "delete inline policy"),
          () ->
              run.call(
                  "iam:DeleteRolePolicy",
                  () -> run.aws().roles().deleteInlinePolicy(name, inline)));
    }
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
