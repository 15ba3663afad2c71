package dev.operatorsetup.internal.step;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.internal.Run;
import dev.operatorsetup.internal.Scope;
import dev.operatorsetup.internal.Settings;
import dev.operatorsetup.internal.TrustMerge;
import dev.operatorsetup.internal.check.Checkup;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.model.TrustStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The IAM role the controller assumes: created, or its trust policy and tags brought up to date.
 */
public final class RoleStep implements Step {
  @Override
  public boolean aws() {
    return true;
  }

  @Override
  public void converge(Run run, Scope scope) {
    Settings s = run.settings();
    Optional<Role> found = scope.knownRole().orElseThrow();
    if (found.isEmpty()) {
      run.change(
          Change.of(resource(s), ChangeAction.CREATE, "trusts " + s.serviceAccount().subject()),
          () -> create(run, scope));
      return;
    }
    Role role = found.get();
    RoleTrust.converge(run, scope, role);
    Map<String, String> missingTags = missingTags(s, role);
    if (!missingTags.isEmpty()) {
      run.change(
          Change.of(resource(s) + " tags", ChangeAction.UPDATE, "tags " + missingTags.keySet()),
          () -> run.run("iam:TagRole", () -> run.aws().roles().tag(s.role().name(), missingTags)));
    }
    // Trust and tags may have changed, the policies (all the policy step reads) have not.
  }

  static String resource(Settings s) {
    return "iam:role" + s.role().path() + s.role().name();
  }

  private static void create(Run run, Scope scope) {
    Settings s = run.settings();
    TrustPolicy trust = scope.cluster().trust();
    Map<String, String> tags = new LinkedHashMap<>(s.role().tags());
    tags.putAll(Tags.ownership(s.cluster()));
    // The role is new: every policy the policy step attaches is one install attached.
    String attached = AttachedTag.encode(AttachedTag.names(scope.facts().policies())).value();
    if (!attached.isEmpty()) {
      tags.put(AttachedTag.KEY, attached);
    }
    try {
      scope.knowRole(
          Optional.of(
              run.call("iam:CreateRole", () -> run.aws().roles().create(s.role(), trust, tags))));
      scope.roleCreated();
    } catch (ResourceConflictException e) {
      // Another run created it between our read and our write: take it if it is ours.
      scope.forgetRole();
      Role now =
          run.call("iam:GetRole", () -> run.aws().roles().find(s.role().name()))
              .orElseThrow(() -> e);
      if (!Tags.isOurs(now.tags()) && !s.adoptExistingRole()) {
        throw e;
      }
      RoleTrust.mergeInto(run, scope, now);
    }
  }

  private static Map<String, String> missingTags(Settings s, Role role) {
    Map<String, String> missing = new LinkedHashMap<>();
    if (Tags.isOurs(role.tags())) {
      s.role()
          .tags()
          .forEach(
              (k, v) -> {
                if (!v.equals(role.tags().get(k))) {
                  missing.put(k, v);
                }
              });
    }
    return missing;
  }

  @Override
  public void uninstall(Run run, Scope scope) {
    Settings s = run.settings();
    Optional<Role> found = PolicyStep.currentRole(run, scope);
    if (found.isEmpty()) {
      run.record(Change.of(resource(s), ChangeAction.UNCHANGED, "absent"));
      return;
    }
    Role role = found.get();
    Predicate<TrustStatement> ours = RoleTrust.ours(run, scope, role);
    List<TrustStatement> others = RoleTrust.others(run, scope, role);
    boolean created = Tags.isOurs(role.tags());
    String owner = created ? "created by operator-setup" : "not created by operator-setup";
    if (created && others.isEmpty()) {
      run.change(
          Change.of(resource(s), ChangeAction.DELETE, owner),
          () -> run.call("iam:DeleteRole", () -> run.aws().roles().delete(s.role().name())));
    } else if (others.size() == role.trustPolicy().statements().size()) {
      run.record(
          Change.of(
              resource(s),
              ChangeAction.UNCHANGED,
              "kept: " + owner + "; no trust statement of operator-setup's to remove"));
    } else if (others.isEmpty()) {
      run.record(
          Change.of(
              resource(s),
              ChangeAction.UNCHANGED,
              "kept: "
                  + owner
                  + "; its trust is only the statement operator-setup manages, left"
                  + " as it was"));
    } else {
      TrustPolicy left = TrustMerge.without(role.trustPolicy(), ours);
      run.change(
          Change.of(
              resource(s),
              ChangeAction.UPDATE,
              "kept: "
                  + owner
                  + ", still trusted by "
                  + others.size()
                  + " other statement(s); removes only operator-setup's trust statement"),
          () -> RoleTrust.updateTrust(run, left));
    }
  }

  @Override
  public void check(Checkup checkup) {
    Run run = checkup.run();
    Settings s = run.settings();
    Arn expected = checkup.scope().facts().roleArn();
    Optional<String> annotated = checkup.annotatedRole();
    if (annotated.isPresent() && !isRoleArn(annotated.get())) {
      checkup.fail(
          "role",
          "the annotation holds '" + annotated.get() + "', which is not a role ARN",
          "run install");
      return;
    }
    Optional<Role> role = PolicyStep.currentRole(run, checkup.scope());
    if (role.isEmpty()) {
      checkup.fail("role", "IAM role " + s.role().name() + " does not exist", "run install");
      return;
    }
    Role r = role.get();
    if (!r.path().equals(s.role().path())) {
      checkup.fail(
          "role",
          "IAM role "
              + s.role().name()
              + " is "
              + r.arn()
              + ", not "
              + expected
              + " (another path)",
          "run install with .withRolePath(\"" + r.path() + "\")");
    } else if (annotated.isPresent() && !r.arn().toString().equalsIgnoreCase(annotated.get())) {
      // GetRole finds a role by name whatever its path; the annotation must name its real ARN.
      checkup.fail(
          "role",
          "the ServiceAccount names "
              + annotated.get()
              + " but the role is "
              + r.arn()
              + " (path "
              + r.path()
              + "), so AssumeRoleWithWebIdentity fails",
          "run install with .withRolePath(\"" + r.path() + "\")");
    }
    checkTrust(checkup, r);
  }

  private static void checkTrust(Checkup checkup, Role role) {
    ServiceAccountRef used = checkup.serviceAccountInUse();
    Arn provider = checkup.cluster().providerArn();
    TrustCheck.Found found = TrustCheck.problems(checkup, role.trustPolicy(), used);
    List<String> problems = found.problems();
    if (problems.isEmpty()) {
      checkup.pass("role-trust", role.arn() + " trusts " + used.subject() + " via " + provider);
    } else {
      // Each problem the linter names ends with its own fix.
      checkup.failSaying(
          "role-trust", role.arn() + ": " + String.join("; ", problems), found.fix());
    }
  }

  private static boolean isRoleArn(String text) {
    try {
      Arn.parseRole("annotated role ARN", text);
      return true;
    } catch (InvalidConfigurationException e) {
      return false;
    }
  }
}
