package dev.operatorsetup.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API calls of one fresh install against the minimum the job needs, per operation, with why
 * operator-setup makes more where it does.
 */
final class ApiCallsVsMinimum {
  private ApiCallsVsMinimum() {}

  /** Per call: the minimum the job needs, and why operator-setup makes more (or what it is for). */
  private static final Map<String, String[]> MINIMUM = minimum();

  private static Map<String, String[]> minimum() {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put(
        "sts GetCallerIdentity", new String[] {"1", "the account (it is also in the cluster ARN)"});
    m.put("eks DescribeCluster", new String[] {"1", "the issuer"});
    m.put(
        "iam GetPolicy",
        new String[] {
          "0",
          "checks the policy exists and is attachable before any write, so a bad --policy-arn changes nothing"
        });
    m.put("iam GetOpenIDConnectProvider", new String[] {"1", "is the provider there?"});
    m.put("iam CreateOpenIDConnectProvider", new String[] {"1", ""});
    m.put(
        "iam GetRole",
        new String[] {
          "1",
          "read before the role step (not found), then once more by the aws adapter's wait right after CreateRole: IAM is eventually consistent, and the next call (AttachRolePolicy) needs the role"
        });
    m.put("iam CreateRole", new String[] {"1", ""});
    m.put(
        "iam ListAttachedRolePolicies",
        new String[] {"0", "part of reading an existing role: which policies are attached"});
    m.put(
        "iam ListRolePolicies",
        new String[] {"0", "part of reading an existing role: inline policies"});
    m.put(
        "iam ListRoleTags",
        new String[] {
          "0",
          "part of reading an existing role: the ownership tag (operator-setup only changes or deletes what it created)"
        });
    m.put(
        "iam ListOpenIDConnectProviderTags",
        new String[] {"0", "part of reading a provider: the ownership tag"});
    m.put("iam AttachRolePolicy", new String[] {"1", ""});
    kubernetes(m);
    return m;
  }

  private static void kubernetes(Map<String, String[]> m) {
    m.put("k8s apply", new String[] {"18", "one server-side apply per object"});
    m.put(
        "k8s get",
        new String[] {
          "0",
          "one read per object before applying it: the change report (create/update/unchanged), ownership, and no write when nothing changed"
        });
    m.put(
        "k8s serverInfo",
        new String[] {
          "0",
          "discovery: does the server still serve apiextensions.k8s.io/v1beta1? (CRD conversion)"
        });
    m.put(
        "k8s awaitCrdEstablished",
        new String[] {"8", "one wait per CRD (kubectl wait does the same)"});
    m.put("k8s awaitRollout", new String[] {"1", "one wait for the Deployment"});
    m.put(
        "k8s listPods",
        new String[] {
          "0",
          "the pods of a Deployment that was already there, to restart any that started before the role annotation (none for a Deployment the run created)"
        });
  }

  static String table(NoOpRerun.Calls calls) {
    Map<String, Long> made = new LinkedHashMap<>();
    calls.aws().forEach((op, n) -> made.put(op.service() + " " + op.operation(), n));
    calls.kube().forEach((m, u) -> made.put("k8s " + m, u.calls()));
    StringBuilder b = new StringBuilder();
    b.append("### API calls of one fresh install vs the minimum the job needs\n\n");
    b.append("| call | made | minimum | why the difference |\n|---|---:|---:|---|\n");
    long madeTotal = 0;
    long minTotal = 0;
    List<String> keys = new ArrayList<>(MINIMUM.keySet());
    for (String k : made.keySet()) {
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    for (String k : keys) {
      long n = made.getOrDefault(k, 0L);
      String[] min = MINIMUM.getOrDefault(k, new String[] {"0", "(not expected)"});
      long want = Long.parseLong(min[0]);
      if (n == 0 && want == 0) {
        continue;
      }
      madeTotal += n;
      minTotal += want;
      b.append(
          String.format(
              Locale.ROOT, "| %s | %d | %d | %s |\n", k, n, want, n == want ? "" : min[1]));
    }
    b.append(
        String.format(Locale.ROOT, "| **total** | **%d** | **%d** | |%n", madeTotal, minTotal));
    b.append(
        "\nAWS calls are counted by the `AwsPorts` call listener, Kubernetes calls at the port"
            + " (a `ForwardingKubernetes`; a wait is one call however often it polls). Underneath,"
            + " the Kubernetes client sent these HTTP requests: "
            + NoOpTable.httpCalls(calls.http())
            + " (the waits poll with GET; discovery of each group version once per client).\n\n");
    return b.toString();
  }
}
