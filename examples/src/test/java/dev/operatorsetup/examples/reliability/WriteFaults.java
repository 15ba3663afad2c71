package dev.operatorsetup.examples.reliability;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.ForwardingKubernetes;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.Thumbprints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Wraps the real adapters (AWS SDK on moto, client-java on the plane), counts every write they make
 * (IAM and Kubernetes), and can make the run die right before or right after the Nth write, as if
 * the process had been killed at that point: the write is not made, or is made and the run never
 * learns of it.
 */
final class WriteFaults {
  enum When {
    BEFORE,
    AFTER
  }

  /** The run's death. Not an OperatorSetupException, so nothing retries or handles it. */
  static final class ProcessDied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcessDied(String message) {
      super(message, null, false, false);
    }
  }

  private final AtomicInteger count = new AtomicInteger();
  private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  private volatile int failAt = -1;
  private volatile When when = When.BEFORE;

  /** Dies right before or right after write number {@code n} (1-based) from now on. */
  void failAt(int n, When when) {
    this.failAt = n;
    this.when = when;
  }

  /** Forgets the writes counted so far and any planned death. */
  void reset() {
    count.set(0);
    writes.clear();
    failAt = -1;
  }

  List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  private <T> T write(String what, Supplier<T> call) {
    int n = count.incrementAndGet();
    writes.add(what);
    if (n == failAt && when == When.BEFORE) {
      throw new ProcessDied("killed right before write " + n + ": " + what);
    }
    T result = call.get();
    if (n == failAt && when == When.AFTER) {
      throw new ProcessDied("killed right after write " + n + ": " + what);
    }
    return result;
  }

  private void write(String what, Runnable call) {
    write(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  // ------------------------------------------------------------------ Kubernetes

  /** The plane's port with counted writes; closing it does not close the real one. */
  Kubernetes kubernetes(Kubernetes real) {
    return new ForwardingKubernetes(real) {
      @Override
      public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
        return write(
            "kubernetes apply " + object.ref().display(),
            () -> super.apply(object, fieldManager, force));
      }

      @Override
      public boolean delete(ObjectRef ref) {
        return write("kubernetes delete " + ref.display(), () -> super.delete(ref));
      }

      @Override
      public void restartDeployment(String namespace, String name, String fieldManager) {
        write(
            "kubernetes restart Deployment " + namespace + "/" + name,
            () -> super.restartDeployment(namespace, name, fieldManager));
      }

      @Override
      public boolean removeFinalizers(ObjectRef ref) {
        return write(
            "kubernetes removeFinalizers " + ref.display(), () -> super.removeFinalizers(ref));
      }

      @Override
      public void close() {}
    };
  }

  // ------------------------------------------------------------------ AWS

  /** The AWS ports with counted writes; closing them does not close the real ones. */
  AwsServices aws(AwsServices real) {
    OidcProviders providers = oidcProviders(real.oidcProviders());
    Roles roles = roles(real.roles());
    return new AwsServices() {
      @Override
      public CallerIdentity callerIdentity() {
        return real.callerIdentity();
      }

      @Override
      public Clusters clusters() {
        return real.clusters();
      }

      @Override
      public OidcProviders oidcProviders() {
        return providers;
      }

      @Override
      public Roles roles() {
        return roles;
      }

      @Override
      public Policies policies() {
        return real.policies();
      }

      @Override
      public Thumbprints thumbprints() {
        return real.thumbprints();
      }

      @Override
      public dev.operatorsetup.port.SageMakerResources sageMaker() {
        return real.sageMaker();
      }
    };
  }

  private OidcProviders oidcProviders(OidcProviders real) {
    return new OidcProviders() {
      @Override
      public Optional<OidcProvider> find(Arn arn) {
        return real.find(arn);
      }

      @Override
      public List<Arn> list() {
        return real.list();
      }

      @Override
      public OidcProvider create(OidcProviders.NewProvider p) {
        return write("iam:CreateOpenIDConnectProvider " + p.issuerUrl(), () -> real.create(p));
      }

      @Override
      public boolean delete(Arn arn) {
        return write("iam:DeleteOpenIDConnectProvider " + arn, () -> real.delete(arn));
      }
    };
  }

  private Roles roles(Roles real) {
    return new Roles() {
      @Override
      public Optional<Role> find(String name) {
        return real.find(name);
      }

      @Override
      public Role create(RoleSpec spec, TrustPolicy trust, Map<String, String> tags) {
        return write("iam:CreateRole " + spec.name(), () -> real.create(spec, trust, tags));
      }

      @Override
      public void updateTrust(String name, TrustPolicy trust) {
        write("iam:UpdateAssumeRolePolicy " + name, () -> real.updateTrust(name, trust));
      }

      @Override
      public void attachPolicy(String name, Arn policy) {
        write(
            "iam:AttachRolePolicy " + name + " " + policy.resourceName(),
            () -> real.attachPolicy(name, policy));
      }

      @Override
      public boolean detachPolicy(String name, Arn policy) {
        return write(
            "iam:DetachRolePolicy " + name + " " + policy.resourceName(),
            () -> real.detachPolicy(name, policy));
      }

      @Override
      public void putInlinePolicy(String name, String policyName, String document) {
        write(
            "iam:PutRolePolicy " + name + " " + policyName,
            () -> real.putInlinePolicy(name, policyName, document));
      }

      @Override
      public boolean deleteInlinePolicy(String name, String policyName) {
        return write(
            "iam:DeleteRolePolicy " + name + " " + policyName,
            () -> real.deleteInlinePolicy(name, policyName));
      }

      @Override
      public void tag(String name, Map<String, String> tags) {
        write("iam:TagRole " + name, () -> real.tag(name, tags));
      }

      @Override
      public boolean delete(String name) {
        return write("iam:DeleteRole " + name, () -> real.delete(name));
      }

      @Override
      public Map<String, TrustPolicy> trustPolicies() {
        return real.trustPolicies();
      }
    };
  }
}
