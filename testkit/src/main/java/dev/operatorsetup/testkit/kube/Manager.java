package dev.operatorsetup.testkit.kube;

/**
 * One field manager's identity in {@code metadata.managedFields}: a manager name and operation
 * ({@link #APPLY} or {@link #UPDATE}).
 */
record Manager(String name, String operation) {
  static final String APPLY = "Apply";
  static final String UPDATE = "Update";
}
