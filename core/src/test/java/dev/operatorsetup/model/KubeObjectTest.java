package dev.operatorsetup.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class KubeObjectTest {
  private static final KubeObject DESIRED =
      KubeObject.parse(
          "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\",\"namespace\":\"n\"},"
              + "\"spec\":{\"replicas\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"m\",\"image\":\"i:1\","
              + "\"env\":[{\"name\":\"E\",\"value\":\"\"}]}]}}}}");

  @Test
  void liveObjectWithServerDefaultsContainsTheDesiredOne() {
    KubeObject live =
        KubeObject.parse(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\",\"namespace\":\"n\","
                + "\"uid\":\"u\",\"generation\":3},\"spec\":{\"replicas\":1,\"strategy\":{\"type\":\"RollingUpdate\"},"
                + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"m\",\"image\":\"i:1\",\"env\":[{\"name\":\"E\"}],"
                + "\"imagePullPolicy\":\"Always\"}]}}},\"status\":{\"replicas\":1}}");
    assertThat(live.contains(DESIRED)).isTrue();
  }

  @Test
  void aChangedValueIsNotContained() {
    KubeObject live = DESIRED.edit(n -> n.with("spec").put("replicas", 2));
    assertThat(live.contains(DESIRED)).isFalse();
  }

  @Test
  void aMissingListElementIsNotContained() {
    KubeObject live =
        DESIRED.edit(
            n ->
                ((com.fasterxml.jackson.databind.node.ArrayNode)
                        n.at("/spec/template/spec/containers"))
                    .removeAll());
    assertThat(live.contains(DESIRED)).isFalse();
  }

  @Test
  void editMakesACopy() {
    KubeObject changed = DESIRED.edit(n -> n.with("metadata").put("name", "other"));
    assertThat(DESIRED.name()).isEqualTo("d");
    assertThat(changed.name()).isEqualTo("other");
    assertThat(changed.ref().display()).isEqualTo("Deployment n/other");
  }

  @Test
  void objectsNeedApiVersionKindAndName() {
    assertThatThrownBy(
            () -> KubeObject.parse("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("apiVersion, kind and metadata.name");
  }
}
