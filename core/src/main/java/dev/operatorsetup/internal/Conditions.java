package dev.operatorsetup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.model.KubeObject;

/** Reads {@code status.conditions}. */
public final class Conditions {
  private Conditions() {}

  /** Returns whether the object has condition {@code type} with status True. */
  public static boolean isTrue(KubeObject object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }
}
