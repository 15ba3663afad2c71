/**
 * The ChartRenderer port over real Helm (helm-java), found by core through the SPI.
 *
 * <p>helm-java 0.0.21's jars declare no Automatic-Module-Name, so their module names come from the
 * jar file names: {@code helm.java} (com.marcnuri.helm), {@code lib.api} (com.marcnuri.helm.jni,
 * with JNA) and the native library {@code linux.amd64} (or the jar of another platform). They
 * change if the jars are renamed (e.g. by a shading or a fat-jar tool); on the class path, which is
 * how this project's tests and examples run, names do not matter.
 */
module dev.operatorsetup.helm {
  requires transitive dev.operatorsetup.core;
  requires helm.java;
  requires lib.api;
  requires com.sun.jna;
  requires org.slf4j;

  // Binds the platform's native Helm library (an automatic module providing this service) into
  // the module graph; lib.api loads it with ServiceLoader.
  uses com.marcnuri.helm.jni.NativeLibrary;

  exports dev.operatorsetup.helm;

  provides dev.operatorsetup.spi.ChartRendererProvider with
      dev.operatorsetup.helm.HelmJavaChartRendererProvider;
  // helm-java's native library from a per-user cache (one copy, not one per process).
  provides com.marcnuri.helm.jni.NativeLibrary with
      dev.operatorsetup.helm.CachedNativeLibrary;
}
