package dev.operatorsetup.targets;

import dev.operatorsetup.Manifests;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.ManifestSource;
import java.util.List;
import java.util.Set;

/**
 * The legacy Amazon SageMaker Operator for Kubernetes, installed from its release installer (the
 * copies bundled in this library unless another manifest is given). Its v1beta1 CRDs are converted
 * to v1 where the server needs it; the dead kube-rbac-proxy image is replaced.
 */
public final class LegacyOperator implements OperatorTarget {
  static final LegacyOperator INSTANCE = new LegacyOperator();

  private LegacyOperator() {}

  @Override
  public String id() {
    return "legacy";
  }

  @Override
  public ServiceAccountRef defaultServiceAccount() {
    return ServiceAccountRef.operatorDefault();
  }

  @Override
  public ManifestSource defaultSource() {
    return Manifests.bundled();
  }

  @Override
  public List<KubeObject> render(RenderInput input) {
    Manifest manifest = input.requireManifest(this);
    return ManifestRenderer.applyOrder(
        ManifestRenderer.render(manifest, input.patch(), input.convertCrds()));
  }

  @Override
  public Set<String> customResourceGroups() {
    return Set.of("sagemaker.aws.amazon.com");
  }

  @Override
  public String crdFix() {
    return "run install (it converts the v1beta1 CRDs to v1)";
  }

  @Override
  public String toString() {
    return id();
  }
}
