package dev.operatorsetup;

/** When to convert an installer's apiextensions.k8s.io/v1beta1 CRDs to v1. */
public enum CrdConversion {
  /** When the server does not serve v1beta1 (every Kubernetes since 1.22). */
  AUTO,
  /** Always (also for {@code render}). */
  ALWAYS,
  /** Never: apply them as they are. */
  NEVER
}
