package dev.operatorsetup.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.operatorsetup.Charts;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.model.Tags;
import dev.operatorsetup.port.ChartRenderer;
import dev.operatorsetup.port.ManifestSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ACK SageMaker controller (aws-controllers-k8s/sagemaker-controller), installed from its Helm
 * chart as the ACK docs install it: release {@value #RELEASE} in namespace {@code ack-system},
 * ServiceAccount {@value #RELEASE}. The chart is rendered by a {@link ChartRenderer} (core has no
 * template engine); unlike Helm, its {@code crds/} are applied on every install and upgrade. Every
 * object carries the inventory label {@link Tags#RELEASE_KEY}, so an upgrade deletes what the new
 * chart no longer renders. Uninstall never deletes a SageMaker resource by surprise.
 */
public final class AckController implements OperatorTarget {
  /** The release name, and the default ServiceAccount's name. */
  public static final String RELEASE = "ack-sagemaker-controller";

  /** The namespace the ACK docs install into. */
  public static final String NAMESPACE = "ack-system";

  /** The annotation that keeps the AWS resource when its custom resource is deleted. */
  public static final String DELETION_POLICY = "services.k8s.aws/deletion-policy";

  /**
   * The group of the CRDs every ACK controller's chart ships (FieldExport, IAMRoleSelector, ...).
   */
  public static final String SHARED_GROUP = "services.k8s.aws";

  /** An ACK controller's image: {@code public.ecr.aws/aws-controllers-k8s/SERVICE-controller}. */
  private static final Pattern CONTROLLER_IMAGE =
      Pattern.compile("public\\.ecr\\.aws/aws-controllers-k8s/[a-z0-9-]+-controller([:@].*)?");

  static final AckController INSTANCE = new AckController();

  private static final List<ObjectType> INVENTORY =
      List.of(
          new ObjectType("v1", "ServiceAccount"),
          new ObjectType("v1", "ConfigMap"),
          new ObjectType("v1", "Secret"),
          new ObjectType("v1", "Service"),
          new ObjectType("apps/v1", "Deployment"),
          new ObjectType("rbac.authorization.k8s.io/v1", "Role"),
          new ObjectType("rbac.authorization.k8s.io/v1", "RoleBinding"),
          new ObjectType("rbac.authorization.k8s.io/v1", "ClusterRole"),
          new ObjectType("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"));

  private AckController() {}

  @Override
  public String id() {
    return "ack";
  }

  @Override
  public ServiceAccountRef defaultServiceAccount() {
    return ServiceAccountRef.of(NAMESPACE, RELEASE);
  }

  /** Never loaded: the ACK controller renders from a chart ({@link ChartValues}). */
  @Override
  public ManifestSource defaultSource() {
    return () -> {
      throw new InvalidConfigurationException(
          "manifest",
          null,
          "the ACK target renders its Helm chart, not an installer manifest",
          "pass a chart with withChart(...) instead of withManifest(...)");
    };
  }

  @Override
  public boolean usesManifest() {
    return false;
  }

  @Override
  public Optional<String> release() {
    return Optional.of(RELEASE);
  }

  @Override
  public List<ObjectType> inventoryTypes() {
    return INVENTORY;
  }

  @Override
  public boolean deletesCustomResources() {
    return false;
  }

  @Override
  public List<KubeObject> render(RenderInput input) {
    ChartValues chart = input.chart();
    ChartRenderer.Rendered rendered =
        input
            .requireRenderer(this)
            .render(request(input, chart.chart().orElse(Charts.bundled()).resolve().directory()));
    List<KubeObject> all = new ArrayList<>();
    all.add(namespace(input.patch().namespace()));
    all.addAll(rendered.crds());
    all.addAll(rendered.objects());
    Manifest manifest =
        new Manifest.Builder()
            .origin("chart " + rendered.chartVersion())
            .sha256("")
            .objects(all)
            .build();
    List<KubeObject> patched = ManifestRenderer.render(manifest, input.patch(), false);
    return ManifestRenderer.applyOrder(
        patched.stream().map(o -> o.kind().equals("Namespace") ? o : labelled(o)).toList());
  }

  private static ChartRenderer.Request request(RenderInput input, java.nio.file.Path chart) {
    ManifestPatch patch = input.patch();
    ChartValues values = input.chart();
    List<String> sets = new ArrayList<>();
    sets.add("aws.region=" + input.region());
    sets.add("serviceAccount.create=true");
    sets.add("serviceAccount.name=" + patch.serviceAccount().name());
    sets.add("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=" + patch.roleArn());
    values.installScope().ifPresent(scope -> sets.add("installScope=" + scope));
    if (!values.watchNamespaces().isEmpty()) {
      sets.add("watchNamespace=" + String.join("\\,", values.watchNamespaces()));
    }
    sets.addAll(values.sets());
    return new ChartRenderer.Request(chart, RELEASE, patch.namespace(), sets, values.valuesFiles());
  }

  private static KubeObject namespace(String name) {
    ObjectNode ns = JsonNodeFactory.instance.objectNode();
    ns.put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", name);
    return KubeObject.of(ns);
  }

  /** Our ownership and inventory labels instead of Helm's. */
  private static KubeObject labelled(KubeObject object) {
    return object.editLabels(
        labels -> {
          if (!Tags.isOurs(object.labels())) {
            labels.remove(Tags.MANAGED_BY_KEY); // Helm's; install labels what it owns
          }
          labels.put(Tags.RELEASE_KEY, RELEASE);
        });
  }

  @Override
  public Set<String> customResourceGroups() {
    return Set.of("sagemaker.services.k8s.aws", SHARED_GROUP);
  }

  @Override
  public Set<String> sharedCrdGroups() {
    return Set.of(SHARED_GROUP);
  }

  /** An ACK controller of any service: a container runs an ACK controller image. */
  @Override
  public boolean isPeerController(KubeObject deployment) {
    for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
      if (CONTROLLER_IMAGE.matcher(c.path("image").asText("")).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String crdFix() {
    return "run install (it applies the chart's CRDs with server-side apply)";
  }

  @Override
  public String toString() {
    return id();
  }
}
