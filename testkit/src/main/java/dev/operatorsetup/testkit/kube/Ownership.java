package dev.operatorsetup.testkit.kube;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The fields one {@link Manager} owns in one object, the apiVersion it used and when. */
final class Ownership {
  Set<List<String>> paths;
  String apiVersion;
  String time;

  Ownership(Set<List<String>> paths, String apiVersion, String time) {
    this.paths = paths;
    this.apiVersion = apiVersion;
    this.time = time;
  }

  Ownership copy() {
    return new Ownership(new LinkedHashSet<>(paths), apiVersion, time);
  }
}
