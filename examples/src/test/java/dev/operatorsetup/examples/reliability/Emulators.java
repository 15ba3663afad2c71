package dev.operatorsetup.examples.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.model.TrustPolicy;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.moto.MotoServer;
import dev.operatorsetup.testkit.plane.ControlPlane;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;

/**
 * The real emulators the reliability ITs run on: moto_server (STS, EKS, IAM) and the local control
 * plane (kube-apiserver, controllers, kwok). Everything here goes through the real clients: the AWS
 * SDK against moto, client-java, kubectl and the AWS CLI against the plane and moto.
 *
 * <p>A test class registers it as {@code @RegisterExtension static final Emulators em = new
 * Emulators("x");}: it connects before the class, empties moto before each test and, after the
 * class, deletes what the class {@link #track tracked} and closes its clients.
 */
final class Emulators
    implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  static final String REGION = "us-east-1";
  static final String ROLE = "eks-sagemaker-operator";
  static final String DEPLOYMENT = "sagemaker-k8s-operator-controller-manager";
  static final String SERVICE_ACCOUNT = "sagemaker-k8s-operator-default";

  /** A fixed issuer, so that states of different runs compare equal (moto is reset in between). */
  static final String ISSUER =
      "https://oidc.eks.us-east-1.amazonaws.com/id/5E1AB1E0C0FFEE00DEADBEEF0000CAFE";

  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Namespaces differ per JVM, so a namespace a crashed run left behind is never reused. */
  static final String RUN = UUID.randomUUID().toString().substring(0, 5);

  /** The first letter of this test class's namespaces. */
  private final String prefix;

  MotoServer moto;
  ControlPlane plane;
  AwsPorts aws;
  Kubernetes kube;
  IamClient iam;
  ApiClient admin;

  /** The namespaces a test class installed into, deleted by {@link #close()}. */
  private final List<String> namespaces = new ArrayList<>();

  /** The manifest's cluster-scoped objects a test class installed, deleted by {@link #close()}. */
  List<KubeObject> clusterScoped = List.of();

  /** The manifests rendered so far, by target, chart, cluster and namespace (a render is pure). */
  private final Map<String, List<KubeObject>> rendered = new HashMap<>();

  /** The operator the test class installs; a class parameterized over targets sets it. */
  Target target = Target.LEGACY;

  /** The ACK chart to install ({@code --chart}); null: the bundled one. */
  String chart;

  /** {@code prefix}: the first letter of the test class's namespaces. */
  Emulators(String prefix) {
    this.prefix = prefix;
  }

  /** Connects to the shared moto_server and the local control plane, before the test class. */
  @Override
  public void beforeAll(ExtensionContext context) {
    this.moto = MotoServer.shared();
    this.plane = ControlPlane.obtain();
    this.aws = awsPorts();
    this.kube = KubernetesPorts.fromKubeconfig(plane.kubeconfig());
    this.iam =
        IamClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS)
            .endpointOverride(moto.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    try (Reader r = Files.newBufferedReader(plane.kubeconfig())) {
      this.admin = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Before each test: moto emptied. */
  @Override
  public void beforeEach(ExtensionContext context) {
    moto.reset();
  }

  /** After the test class (and its {@code @AfterAll} methods): {@link #close()}. */
  @Override
  public void afterAll(ExtensionContext context) {
    if (iam != null) {
      close();
    }
  }

  /** New AWS ports on moto (the caller closes them). */
  AwsPorts awsPorts() {
    return AwsPorts.builder()
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .endpointOverride(moto.endpoint())
        .consistencyTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * Deletes the namespaces {@link #track tracked} and the cluster-scoped objects {@link
   * #clusterScoped} names, then closes the clients.
   */
  @Override
  public void close() {
    try {
      namespaces.forEach(this::deleteNamespace);
      namespaces.forEach(this::awaitNamespaceDeleted);
      deleteClusterScoped(clusterScoped);
    } finally {
      aws.close();
      kube.close();
      iam.close();
    }
  }

  /**
   * From now on the test class installs {@code target}: the cluster-scoped objects the previous
   * target's installs left are deleted first.
   */
  void use(Target target) {
    deleteClusterScoped(clusterScoped);
    clusterScoped = List.of();
    this.target = target;
  }

  /** Remembers the namespace, for {@link #close()} to delete it; returns it. */
  String track(String namespace) {
    namespaces.add(namespace);
    return namespace;
  }

  /** A namespace of this JVM, test class and target, {@link #track tracked}. */
  String namespace(String label) {
    String of = target == Target.LEGACY ? "" : target.toString().substring(0, 1);
    return track(prefix + RUN + of + "-" + label.toLowerCase(Locale.ROOT));
  }

  /** How many namespaces were {@link #track tracked}. */
  int tracked() {
    return namespaces.size();
  }

  /** Creates the EKS cluster in moto, with {@link #ISSUER}. */
  ClusterInfo cluster(String name) {
    return moto.createCluster(REGION, name, ISSUER);
  }

  /** The Java API on the real emulators: AWS ports on moto, client-java on the plane. */
  OperatorSetup.Options setup(String cluster, String namespace) {
    return setup(cluster, namespace, aws, kube);
  }

  /** The Java API for {@link #target} with these ports. */
  OperatorSetup.Options setup(String cluster, String namespace, AwsServices aws, Kubernetes kube) {
    return target.options(
        OperatorSetup.forCluster(cluster)
            .inRegion(REGION)
            .withRole(target.role)
            .withNamespace(namespace)
            .withAws(aws)
            .withKubernetes(kube)
            .withTimeout(Duration.ofMinutes(2)),
        chart);
  }

  /** The manifest's objects for the namespace. */
  List<KubeObject> manifest(String cluster, String namespace) {
    return rendered.computeIfAbsent(
        String.join("|", target.name(), String.valueOf(chart), cluster, namespace),
        key -> setup(cluster, namespace).renderObjects());
  }

  /** {@link #state} of the manifest's objects for the namespace. */
  List<String> state(String cluster, String namespace) {
    return state(manifest(cluster, namespace), namespace);
  }

  /** The command's arguments for the cluster and namespace on moto and the plane, then more. */
  List<String> args(String command, String cluster, String namespace, String... more) {
    List<String> args =
        args(command, cluster, namespace, moto.endpoint(), "--kubeconfig", kubeconfig());
    args.addAll(List.of(more));
    return args;
  }

  /**
   * The command's arguments for {@link #target}, the cluster and namespace (null: the default one)
   * with AWS at {@code awsEndpoint}, then more.
   */
  List<String> args(
      String command, String cluster, String namespace, URI awsEndpoint, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(command, "--cluster", cluster, "--region", REGION, "--role", target.role));
    if (namespace != null) {
      args.addAll(List.of("--namespace", namespace));
    }
    args.addAll(target.args(chart));
    args.addAll(List.of("--aws-endpoint", awsEndpoint.toString()));
    args.addAll(List.of(more));
    return args;
  }

  String kubeconfig() {
    return plane.kubeconfig().toString();
  }

  /** An EKS client on moto. */
  EksClient eks() {
    return EksClient.builder()
        .region(Region.of(REGION))
        .credentialsProvider(CREDENTIALS)
        .endpointOverride(moto.endpoint())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An EKS cluster in moto whose endpoint is the plane's, with this CA (base64 PEM). */
  void eksClusterOnThePlane(String name, String caData) {
    try (EksClient eks = eks()) {
      eks.createCluster(
          b ->
              b.name(name)
                  .version("1.34")
                  .roleArn("arn:aws:iam::" + moto.accountId() + ":role/eks")
                  .resourcesVpcConfig(v -> v.subnetIds("subnet-0123456789abcdef0"))
                  .tags(
                      Map.of(
                          "operator-setup.test/issuer",
                          ISSUER,
                          "operator-setup.test/endpoint",
                          plane.server().toString(),
                          "operator-setup.test/ca",
                          caData)));
    }
  }

  // ------------------------------------------------------------------ clean slates

  /**
   * A clean slate: moto emptied and the cluster created again; the manifest's cluster-scoped
   * objects deleted from the plane.
   */
  void fresh(String cluster) {
    moto.reset();
    cluster(cluster);
    clusterScoped = manifest(cluster, "unused");
    deleteClusterScoped(clusterScoped);
  }

  /**
   * Deletes the manifest's cluster-scoped objects (CRDs, ClusterRoles, ClusterRoleBindings) and
   * waits until they are gone, so that the next install creates them.
   *
   * <p>A CRD deleted seconds after it was created sometimes stays Terminating ("could not list
   * instances: storage is (re)initializing"): the apiextensions finalizer then retries with a
   * growing backoff, 20 s and more. Touching the CRD (an annotation) makes it retry at once: after
   * 300 ms, then every second.
   */
  void deleteClusterScoped(List<KubeObject> manifest) {
    List<ObjectRef> deleted = new ArrayList<>();
    for (KubeObject o : manifest) {
      if (o.namespace().isEmpty() && !o.kind().equals("Namespace")) {
        if (kube.delete(o.ref())) {
          deleted.add(o.ref());
        }
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    long nextTouch = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    List<ObjectRef> left = new ArrayList<>(deleted);
    while (true) {
      left.removeIf(ref -> kube.get(ref).isEmpty());
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still there 90 s after their deletion: " + left);
      }
      if (System.nanoTime() > nextTouch) {
        left.stream()
            .filter(ref -> ref.kind().equals("CustomResourceDefinition"))
            .forEach(this::touch);
        nextTouch = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
      sleep(200);
    }
  }

  /** An annotation of its own on a CRD being deleted (gone already: nothing to do). */
  private void touch(ObjectRef crd) {
    try {
      kube.apply(
          KubeObject.parse(
              "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
                  + "\"metadata\":{\"name\":\""
                  + crd.name()
                  + "\",\"annotations\":{\"reliability-it/touched\":\""
                  + System.nanoTime()
                  + "\"}}}"),
          "reliability-it",
          true);
    } catch (RuntimeException gone) {
      // deleted meanwhile: an apply would have created it, which the API server refuses
    }
  }

  /**
   * Deletes what an install left in the namespace: the manifest's namespaced objects, waited for
   * (the next install of an ACK release prunes the release's labelled objects cluster-wide, and
   * must not find them), then the namespace itself, not waited for (the plane's namespace
   * controller waits 5 s before it empties one).
   */
  void clearNamespace(String cluster, String namespace) {
    List<ObjectRef> deleted = new ArrayList<>();
    for (KubeObject o : manifest(cluster, namespace)) {
      if (o.namespace().isPresent() && kube.delete(o.ref())) {
        deleted.add(o.ref());
      }
    }
    deleted.forEach(ref -> kube.awaitDeleted(ref, Duration.ofSeconds(60)));
    deleteNamespace(namespace);
  }

  /** Deletes a namespace without waiting (the plane takes seconds to empty one). */
  void deleteNamespace(String namespace) {
    kube.delete(ObjectRef.of("v1", "Namespace", null, namespace));
  }

  void awaitNamespaceDeleted(String namespace) {
    kube.awaitDeleted(ObjectRef.of("v1", "Namespace", null, namespace), Duration.ofSeconds(120));
  }

  // ------------------------------------------------------------------ what is there

  /**
   * A comparable summary of the installation: every role and OIDC provider in moto (trust policy,
   * attached and inline policies, tags, client ids) and every object of the manifest on the plane
   * (our label, role annotation, pod template), the namespace written as {@code <ns>}; plus counts
   * of what must exist once: Deployments, ReplicaSets with replicas, running pods in the namespace.
   */
  List<String> state(List<KubeObject> manifest, String namespace) {
    List<String> out = new ArrayList<>();
    for (var role : iam.listRolesPaginator(b -> {}).roles()) {
      String name = role.roleName();
      String trust =
          TrustPolicy.parse(
                  URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
              .normalized()
              .toCompactJson();
      List<String> attached =
          iam.listAttachedRolePoliciesPaginator(b -> b.roleName(name)).attachedPolicies().stream()
              .map(p -> p.policyArn())
              .sorted()
              .toList();
      List<String> inline =
          iam.listRolePoliciesPaginator(b -> b.roleName(name)).policyNames().stream()
              .sorted()
              .toList();
      Map<String, String> tags = new TreeMap<>();
      iam.listRoleTagsPaginator(b -> b.roleName(name))
          .tags()
          .forEach(t -> tags.put(t.key(), t.value()));
      out.add(
          "role "
              + role.path()
              + name
              + " trust="
              + trust
              + " attached="
              + attached
              + " inline="
              + inline
              + " tags="
              + tags);
    }
    for (OpenIDConnectProviderListEntry entry :
        iam.listOpenIDConnectProviders(b -> {}).openIDConnectProviderList()) {
      var p = iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(entry.arn()));
      Map<String, String> tags = new TreeMap<>();
      p.tags().forEach(t -> tags.put(t.key(), t.value()));
      out.add(
          "provider "
              + entry.arn()
              + " url="
              + p.url()
              + " clients="
              + p.clientIDList()
              + " thumbprints="
              + p.thumbprintList()
              + " tags="
              + tags);
    }
    for (KubeObject o : manifest) {
      var live = kube.get(o.ref());
      if (live.isEmpty()) {
        out.add("k8s " + o.ref().display() + " absent");
        continue;
      }
      KubeObject l = live.get();
      StringBuilder b =
          new StringBuilder("k8s ")
              .append(o.ref().display())
              .append(" managed-by=")
              .append(l.labels().get(Tags.MANAGED_BY_KEY));
      if (o.kind().equals("ServiceAccount")) {
        b.append(" role=").append(l.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION));
      }
      if (o.kind().equals("Deployment")) {
        b.append(" template=")
            .append(l.at("/spec/template/metadata/annotations"))
            .append(" images=")
            .append(images(l))
            .append(" serviceAccount=")
            .append(l.at("/spec/template/spec/serviceAccountName").asText());
      }
      if (o.kind().equals("CustomResourceDefinition")) {
        b.append(" apiVersion=")
            .append(l.apiVersion())
            .append(" established=")
            .append(conditionIsTrue(l, "Established"));
      }
      if (o.kind().endsWith("Binding")) {
        b.append(" subjects=").append(l.at("/subjects"));
      }
      out.add(b.toString());
    }
    out.addAll(counts(namespace));
    out.replaceAll(s -> s.replace(namespace, "<ns>"));
    out.sort(null);
    return out;
  }

  private static List<String> images(KubeObject deployment) {
    List<String> images = new ArrayList<>();
    for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
      images.add(c.path("image").asText());
    }
    return images;
  }

  /** Deployments, ReplicaSets that want pods, and pods not being deleted, in the namespace. */
  List<String> counts(String namespace) {
    try {
      AppsV1Api apps = new AppsV1Api(admin);
      long deployments = apps.listNamespacedDeployment(namespace).execute().getItems().size();
      long replicaSets =
          apps.listNamespacedReplicaSet(namespace).execute().getItems().stream()
              .filter(rs -> rs.getSpec() != null && rs.getSpec().getReplicas() > 0)
              .count();
      long pods = livePods(namespace).size();
      return List.of(
          "count deployments=" + deployments,
          "count replicasets with replicas=" + replicaSets,
          "count pods=" + pods);
    } catch (ApiException e) {
      throw new IllegalStateException("listing " + namespace + ": " + e.getResponseBody(), e);
    }
  }

  /** The pods of the namespace that are not being deleted. */
  List<V1Pod> livePods(String namespace) {
    try {
      return new CoreV1Api(admin)
          .listNamespacedPod(namespace).execute().getItems().stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
              .toList();
    } catch (ApiException e) {
      throw new IllegalStateException("listing pods of " + namespace, e);
    }
  }

  /** Waits (up to 60 s) until the namespace runs exactly this many pods not being deleted. */
  void awaitPods(String namespace, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (livePods(namespace).size() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            namespace + " runs " + livePods(namespace).size() + " pods, not " + count);
      }
      sleep(200);
    }
  }

  // ------------------------------------------------------------------ tools

  /** TLS that trusts the plane's CA (the one its kubeconfig embeds). */
  SSLContext planeTls() throws GeneralSecurityException, IOException {
    byte[] pem = Base64.getDecoder().decode(kubeconfigField("certificate-authority-data"));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "plane",
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  /** The admin bearer token of the plane's kubeconfig. */
  String adminToken() {
    return kubeconfigField("token");
  }

  String kubeconfigField(String field) {
    try {
      Matcher m =
          Pattern.compile("(?m)^\\s*" + Pattern.quote(field) + ":\\s*(\\S+)\\s*$")
              .matcher(Files.readString(plane.kubeconfig()));
      if (!m.find()) {
        throw new IllegalStateException("the kubeconfig has no " + field);
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kubectl on the plane; fails the test unless it exits 0; returns its stdout. */
  String kubectl(String... args) {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", plane.kubeconfig().toString()));
    command.addAll(List.of(args));
    return Tools.run(command, Map.of()).requireSuccess();
  }

  /** Runs the AWS CLI on moto; fails the test unless it exits 0; returns its stdout. */
  String awsCli(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("aws", "--endpoint-url", moto.endpoint().toString(), "--region", REGION));
    command.addAll(List.of(args));
    return Tools.run(
            command,
            Map.of(
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_PAGER", ""))
        .requireSuccess();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Path repositoryRoot() {
    return MotoServer.repositoryRoot().orElseThrow();
  }

  /** Whether the object has condition {@code type} with status True. */
  private static boolean conditionIsTrue(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }
}
