package dev.operatorsetup.testkit;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.port.AwsServices;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A comparable summary of everything in a fake world, for "same final state" assertions. */
public final class WorldState {
  private WorldState() {}

  public static List<String> of(FakeWorld world, String region) {
    world.faults().clear();
    AwsServices aws = world.aws().services(region);
    List<String> out = new ArrayList<>();
    for (String name : world.aws().roleNames()) {
      Role role = aws.roles().find(name).orElseThrow();
      out.add(
          "role "
              + name
              + " trust="
              + role.trustPolicy().normalized().toCompactJson()
              + " policies="
              + role.attachedPolicies().stream().map(Arn::toString).sorted().toList()
              + " inline="
              + new TreeMap<>(role.inlinePolicies()).keySet()
              + " tags="
              + new TreeMap<>(role.tags()));
    }
    for (Arn arn : world.aws().providerArns()) {
      OidcProvider p = aws.oidcProviders().find(arn).orElseThrow();
      out.add("provider " + arn + " clients=" + p.clientIds() + " tags=" + new TreeMap<>(p.tags()));
    }
    for (KubeObject o : world.kubernetes().objects()) {
      if (o.kind().equals("Pod")) {
        continue;
      }
      out.add(
          "k8s "
              + o.ref().display()
              + " labels="
              + new TreeMap<>(o.labels())
              + " role="
              + o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION)
              + " template="
              + o.at("/spec/template/metadata/annotations"));
    }
    out.sort(null);
    return out;
  }
}
