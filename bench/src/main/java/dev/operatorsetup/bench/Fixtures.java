package dev.operatorsetup.bench;

import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * What the benchmark sets up and tears down outside the timed regions: EKS clusters in moto (each
 * with its own OIDC issuer, through the {@code operator-setup.test/issuer} tag), and the deletion
 * of everything an install left in moto and on the control plane.
 */
final class Fixtures implements AutoCloseable {
  static final String ISSUER_TAG = "operator-setup.test/issuer";
  static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);

  private final SdkHttpClient http;
  private final EksClient eks;
  private final IamClient iam;
  private final String account;
  private final String issuerHost;
  private final Kubernetes admin;
  private final List<String> created = Collections.synchronizedList(new ArrayList<>());

  Fixtures(URI endpoint, String region, String account, String issuerHost, Kubernetes admin) {
    this.http = UrlConnectionHttpClient.create();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    this.eks =
        EksClient.builder()
            .region(Region.of(region))
            .endpointOverride(endpoint)
            .credentialsProvider(credentials)
            .httpClient(http)
            .build();
    this.iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .endpointOverride(endpoint)
            .credentialsProvider(credentials)
            .httpClient(http)
            .build();
    this.account = account;
    this.issuerHost = issuerHost;
    this.admin = admin;
  }

  /** Returns the OIDC issuer of the cluster with this name: one per cluster, like EKS. */
  String issuer(String cluster) {
    return "https://"
        + issuerHost
        + "/id/"
        + cluster.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
  }

  /** Creates an EKS cluster in moto with its own issuer; it is deleted by {@link #deleteAws}. */
  void createCluster(String name) {
    eks.createCluster(
        b ->
            b.name(name)
                .roleArn("arn:aws:iam::" + account + ":role/eks-cluster")
                .resourcesVpcConfig(v -> v.subnetIds("subnet-0a1b2c3d"))
                .tags(Map.of(ISSUER_TAG, issuer(name))));
    created.add(name);
  }

  /** Returns the clusters created so far (each install's role has the cluster's name). */
  List<String> created() {
    synchronized (created) {
      return List.copyOf(created);
    }
  }

  /**
   * Deletes, for each name, the role of that name (its policies detached first), the OIDC provider
   * of the cluster's issuer and the cluster. Absent ones are skipped.
   */
  void deleteAws(List<String> names) {
    for (String name : names) {
      try {
        for (AttachedPolicy p :
            iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()) {
          iam.detachRolePolicy(b -> b.roleName(name).policyArn(p.policyArn()));
        }
        for (String p : iam.listRolePolicies(b -> b.roleName(name)).policyNames()) {
          iam.deleteRolePolicy(b -> b.roleName(name).policyName(p));
        }
        iam.deleteRole(b -> b.roleName(name));
      } catch (NoSuchEntityException absent) {
        // never created (e.g. a failed run), or removed already
      }
      String provider =
          "arn:aws:iam::"
              + account
              + ":oidc-provider/"
              + issuer(name).substring("https://".length());
      try {
        iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(provider));
      } catch (NoSuchEntityException absent) {
        // not created
      }
      try {
        eks.deleteCluster(b -> b.name(name));
      } catch (software.amazon.awssdk.services.eks.model.ResourceNotFoundException absent) {
        // not created
      }
      created.remove(name);
    }
  }

  /**
   * Deletes these objects from the control plane and waits until every one is gone: first the
   * others, last first, then the CustomResourceDefinitions. (Deleted together, the namespace
   * controller trips over the CRDs' types vanishing from discovery and retries with a backoff of up
   * to a minute; one after the other, a Namespace is gone in about 5 seconds.)
   */
  void wipe(List<ObjectRef> refs) {
    List<ObjectRef> order = new ArrayList<>(refs);
    Collections.reverse(order);
    List<ObjectRef> crds =
        order.stream().filter(r -> r.kind().equals("CustomResourceDefinition")).toList();
    List<ObjectRef> others =
        order.stream().filter(r -> !r.kind().equals("CustomResourceDefinition")).toList();
    for (List<ObjectRef> batch : List.of(others, crds)) {
      for (ObjectRef ref : batch) {
        admin.delete(ref);
      }
      for (ObjectRef ref : batch) {
        admin.awaitDeleted(ref, DELETE_TIMEOUT);
      }
    }
  }

  @Override
  public void close() {
    try {
      eks.close();
      iam.close();
    } catch (SdkException e) {
      // closing only
    }
    http.close();
  }
}
