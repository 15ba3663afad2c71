package dev.operatorsetup;

/**
 * The names of the SLF4J loggers this library writes to, named for what they log so that an
 * embedding application can configure them (no logger is named after an internal class).
 *
 * <ul>
 *   <li>{@code dev.operatorsetup.<command>} ({@code plan}, {@code install}, {@code uninstall},
 *       {@code verify}, {@code diagnose}): INFO once per resource created, changed or deleted;
 *   <li>{@link #RETRY}: DEBUG per retried call;
 *   <li>{@link #MANIFEST}: loading, converting and patching manifests;
 *   <li>{@link #AWS}: DEBUG per AWS call, as {@code key=value};
 *   <li>{@link #KUBERNETES}: DEBUG per Kubernetes API call.
 * </ul>
 *
 * No logger writes a credential, a token or a kubeconfig.
 */
public final class Loggers {
  /** The prefix of every logger of this library. */
  public static final String ROOT = "dev.operatorsetup";

  public static final String RETRY = ROOT + ".retry";
  public static final String MANIFEST = ROOT + ".manifest";
  public static final String AWS = ROOT + ".aws";
  public static final String KUBERNETES = ROOT + ".kubernetes";

  private Loggers() {}

  /** Returns the logger name of an operation, e.g. {@code dev.operatorsetup.install}. */
  public static String forCommand(String command) {
    return ROOT + "." + command;
  }
}
