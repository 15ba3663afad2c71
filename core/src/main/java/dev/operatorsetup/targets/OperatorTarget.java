package dev.operatorsetup.targets;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.ManifestSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Says what one operator needs: the objects to apply (rendered from its source), the
 * ServiceAccount(s) its role must trust, its default policies, the controllers to wait for and
 * check, and the custom-resource groups that uninstall must account for. The engine knows no target
 * by name: it asks the target. How the controller gets its AWS identity is a separate choice
 * ({@link IdentityMode}), so targets and identity modes combine.
 */
public sealed interface OperatorTarget permits LegacyOperator, AckController {
  /** A short id for reports and the command, e.g. {@code legacy}. */
  String id();

  /** The ServiceAccount the controller runs as unless the caller names another. */
  ServiceAccountRef defaultServiceAccount();

  /** Where the objects come from unless the caller names another source. */
  ManifestSource defaultSource();

  /** The managed policies attached when the caller names none. */
  default List<Arn> defaultPolicies(Partition partition) {
    return List.of(RoleSpec.defaultPolicy(partition));
  }

  /** The ServiceAccounts the role must trust, given the one the caller chose. */
  default List<ServiceAccountRef> trustedServiceAccounts(ServiceAccountRef chosen) {
    return List.of(chosen);
  }

  /**
   * Renders the source into the objects to apply, in apply order, patched for the role and the
   * ServiceAccount; throws {@link dev.operatorsetup.InvalidConfigurationException} for a source
   * that cannot serve this target.
   */
  List<KubeObject> render(RenderInput input);

  /** Whether the target renders from an installer manifest ({@link #defaultSource()}). */
  default boolean usesManifest() {
    return true;
  }

  /**
   * The release whose objects carry the inventory label {@link
   * dev.operatorsetup.model.Tags#RELEASE_KEY}: install then deletes the labelled objects the source
   * no longer renders, and a Helm release of this name is refused unless taken over. Empty: no
   * inventory (the legacy installer).
   */
  default Optional<String> release() {
    return Optional.empty();
  }

  /** The types install looks for labelled objects of, besides the rendered ones' types. */
  default List<ObjectType> inventoryTypes() {
    return List.of();
  }

  /**
   * Whether uninstall deletes the custom resources of the target's CRDs itself (legacy). When
   * false, uninstall refuses while any exists unless the caller asks to retain their AWS resources.
   */
  default boolean deletesCustomResources() {
    return true;
  }

  /** One API type, for inventories. */
  record ObjectType(String apiVersion, String kind) {}

  /** The controllers to wait for and check: the rendered Deployments. */
  default List<KubeObject> controllers(List<KubeObject> rendered) {
    return rendered.stream().filter(o -> o.kind().equals("Deployment")).toList();
  }

  /** API groups of the custom resources that uninstall must account for before removing CRDs. */
  Set<String> customResourceGroups();

  /**
   * API groups whose CRDs the target shares with other controllers (ACK: {@code services.k8s.aws},
   * whose FieldExport, IAMRoleSelector and AdoptedResource every ACK controller uses). Uninstall
   * keeps such a CRD while {@linkplain #isPeerController another such controller} runs on the
   * cluster or any object of it exists, and leaves its objects alone.
   */
  default Set<String> sharedCrdGroups() {
    return Set.of();
  }

  /**
   * Whether this Deployment, not one the target rendered, runs another controller that shares the
   * {@link #sharedCrdGroups() shared CRDs}.
   */
  default boolean isPeerController(KubeObject deployment) {
    return false;
  }

  /** What to do when the target's CRDs are missing or not served, for a finding's fix. */
  String crdFix();

  /** The ACK SageMaker controller, installed from its Helm chart (issue 11). */
  static OperatorTarget ack() {
    return AckController.INSTANCE;
  }

  /** The legacy Amazon SageMaker Operator for Kubernetes (the seed's installer). */
  static OperatorTarget legacy() {
    return LegacyOperator.INSTANCE;
  }
}
