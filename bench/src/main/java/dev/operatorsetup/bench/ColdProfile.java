package dev.operatorsetup.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One more cold run of the command, not measured, with the launcher's defaults: its progress lines
 * (text output) say when each step started, and {@code -Xlog:class+load} (in {@code
 * JDK_JAVA_OPTIONS}) how many classes the JVM loaded, from which library, and whether from the
 * JDK's CDS archive, the launcher's AppCDS archive or the jar.
 */
final class ColdProfile {
  // The figures per library in families: classes, from the JDK's CDS archive, from the launcher's
  // AppCDS archive, and when (JVM uptime, ms) the first and the last were loaded.
  static final int CLASSES = 0;
  static final int FROM_JDK_ARCHIVE = 1;
  static final int FROM_APP_ARCHIVE = 2;
  static final int FIRST = 3;
  static final int LAST = 4;

  final Phases phases = new Phases();
  double total;
  long classesLoaded;
  long fromJdkArchive;
  long fromAppArchive;
  final Map<String, double[]> families = new LinkedHashMap<>();

  private static final Pattern PROGRESS =
      Pattern.compile("^\\[\\s*(\\d+(?:\\.\\d+)?)(ms|s)\\]\\s+(.*)$");
  private static final Pattern SUMMARY = Pattern.compile("in (\\d+(?:\\.\\d+)?)(ms|s); role ");
  private static final Pattern LOAD =
      Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*\\[class,load\\] (\\S+) source: (.*)$");

  /** Runs the profile run and reads its progress lines and class-loading log. */
  static ColdProfile run(BenchContext ctx, ColdCommand command) throws Exception {
    Path classes = ctx.cfg.work().resolve(ctx.prefix() + "-classes.log").toAbsolutePath();
    ColdCommand.Run run =
        command.install(
            "coldprofile",
            Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classes),
            "text");
    ColdProfile p = new ColdProfile();
    p.steps(
        Files.readAllLines(run.dir().resolve("stderr")),
        Files.readString(run.dir().resolve("stdout")),
        run.wallMillis());
    p.classes(Files.readAllLines(classes));
    return p;
  }

  /** The phases from the command's progress lines (stderr) and its summary line (stdout). */
  void steps(List<String> progress, String stdout, double wall) {
    List<Double> marks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    boolean firstK8sChange = true;
    boolean firstWait = true;
    for (String l : progress) {
      Matcher m = PROGRESS.matcher(l);
      if (!m.matches()) {
        continue;
      }
      String text = m.group(3);
      String label = null;
      if (text.endsWith(" ...")) {
        label = "step " + text.substring(0, text.indexOf(':'));
      } else if (text.contains(" kubernetes:") && firstK8sChange) {
        label = "Kubernetes applies";
        firstK8sChange = false;
      } else if (text.startsWith("waiting for") && firstWait) {
        label = "waits (CRDs Established, rollout)";
        firstWait = false;
      }
      if (label != null) {
        marks.add(millis(m.group(1), m.group(2)));
        labels.add(label);
      }
    }
    Matcher m = SUMMARY.matcher(stdout);
    double engine = m.find() ? millis(m.group(1), m.group(2)) : Double.NaN;
    phases.add("JVM start, picocli, options (before the engine's first step)", wall - engine);
    for (int i = 0; i < marks.size(); i++) {
      double next = i + 1 < marks.size() ? marks.get(i + 1) : engine;
      phases.add(labels.get(i), next - marks.get(i));
    }
    phases.add("JVM exit", 0);
    total = wall;
  }

  private static double millis(String number, String unit) {
    return Double.parseDouble(number) * (unit.equals("s") ? 1000 : 1);
  }

  /** The classes from an {@code -Xlog:class+load} log, by library and source. */
  void classes(List<String> log) {
    for (String l : log) {
      Matcher c = LOAD.matcher(l);
      if (!c.matches()) {
        continue;
      }
      classesLoaded++;
      String source = c.group(3);
      boolean app = source.startsWith("shared objects file (top)");
      boolean jdk = !app && source.startsWith("shared objects file");
      fromJdkArchive += jdk ? 1 : 0;
      fromAppArchive += app ? 1 : 0;
      double at = Double.parseDouble(c.group(1)) * 1000;
      double[] f =
          families.computeIfAbsent(
              family(c.group(2)), k -> new double[] {0, 0, 0, Double.MAX_VALUE, 0});
      f[CLASSES]++;
      f[FROM_JDK_ARCHIVE] += jdk ? 1 : 0;
      f[FROM_APP_ARCHIVE] += app ? 1 : 0;
      f[FIRST] = Math.min(f[FIRST], at);
      f[LAST] = Math.max(f[LAST], at);
    }
  }

  private static final List<String[]> FAMILIES =
      List.of(
          new String[] {"dev.operatorsetup.", "operator-setup"},
          new String[] {"picocli.", "picocli (command line)"},
          new String[] {"software.amazon.", "AWS SDK for Java v2"},
          new String[] {"io.kubernetes.", "Kubernetes Java client"},
          new String[] {"com.google.gson.", "Gson (the Kubernetes client's JSON)"},
          new String[] {"okhttp3.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"okio.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"kotlin.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"com.fasterxml.jackson.", "Jackson"},
          new String[] {"org.yaml.snakeyaml.", "SnakeYAML"},
          new String[] {"org.bouncycastle.", "Bouncy Castle"},
          new String[] {"org.slf4j.", "SLF4J"},
          new String[] {"org.immutables.", "operator-setup"},
          new String[] {"java.", "JDK"},
          new String[] {"javax.", "JDK"},
          new String[] {"jdk.", "JDK"},
          new String[] {"sun.", "JDK"},
          new String[] {"com.sun.", "JDK"});

  static String family(String className) {
    for (String[] f : FAMILIES) {
      if (className.startsWith(f[0])) {
        return f[1];
      }
    }
    return "other";
  }
}
