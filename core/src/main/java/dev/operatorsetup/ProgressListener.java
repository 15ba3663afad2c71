package dev.operatorsetup;

/** Receives progress events; called on the operation's thread. Must not throw. */
@FunctionalInterface
public interface ProgressListener {
  void onEvent(ProgressEvent event);

  /** A listener that ignores everything. */
  ProgressListener NONE = event -> {};
}
