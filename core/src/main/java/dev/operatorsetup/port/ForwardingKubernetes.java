package dev.operatorsetup.port;

import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link Kubernetes} that passes every call to another; subclasses override what they change. */
public class ForwardingKubernetes implements Kubernetes {
  private final Kubernetes delegate;

  public ForwardingKubernetes(Kubernetes delegate) {
    this.delegate = delegate;
  }

  @Override
  public ServerInfo serverInfo() {
    return delegate.serverInfo();
  }

  @Override
  public KubeObject apply(KubeObject object, String fieldManager, boolean force) {
    return delegate.apply(object, fieldManager, force);
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return delegate.get(ref);
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return delegate.delete(ref);
  }

  @Override
  public void awaitDeleted(ObjectRef ref, Duration timeout) {
    delegate.awaitDeleted(ref, timeout);
  }

  @Override
  public void awaitCrdEstablished(String crdName, Duration timeout) {
    delegate.awaitCrdEstablished(crdName, timeout);
  }

  @Override
  public void awaitRollout(String namespace, String name, Duration timeout) {
    delegate.awaitRollout(namespace, name, timeout);
  }

  @Override
  public void restartDeployment(String namespace, String name, String fieldManager) {
    delegate.restartDeployment(namespace, name, fieldManager);
  }

  @Override
  public List<KubeObject> listCustomResources(String crdName) {
    return delegate.listCustomResources(crdName);
  }

  @Override
  public boolean removeFinalizers(ObjectRef ref) {
    return delegate.removeFinalizers(ref);
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> selector) {
    return delegate.list(apiVersion, kind, namespace, selector);
  }

  @Override
  public List<KubeObject> listPods(String namespace, Map<String, String> selector) {
    return delegate.listPods(namespace, selector);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
