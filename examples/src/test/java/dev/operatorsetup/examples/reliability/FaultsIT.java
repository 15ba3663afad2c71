package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the real emulators (moto_server, the local control plane): for every write a clean install
 * makes, a run that dies right before it and one that dies right after it, each followed by a
 * re-run, end in the same state as an undisturbed install, with nothing duplicated; a third run
 * writes nothing. The run dies by an exception from a wrapper around the real adapters (the AWS SDK
 * ports and client-java), which is what the process sees of a kill at that point: later writes are
 * never made. Once more with the command as a process, killed with SIGKILL mid-install.
 *
 * <p>Once per {@link Target}: the legacy operator and the ACK controller (each case installs into a
 * namespace of its own, whose objects are deleted after it). Every write is tried (no sampling): a
 * clean install makes 21 writes (legacy) or 42 (ACK). {@code -Dreliability.faults.every=K} tries
 * every Kth write only.
 *
 * <p>This is the fast suite. The slow one, {@link CrashIT}, kills the command process itself with
 * SIGKILL at every write of an install and of an uninstall, seen at proxies in front of the
 * emulators, while the write is in flight and right after its answer.
 */
@RequiresControlPlane
@ParameterizedClass(name = "{0}")
@MethodSource("dev.operatorsetup.examples.reliability.Target#selected")
class FaultsIT {

  static final String CLUSTER = "reliability-faults";

  @RegisterExtension static final Emulators em = new Emulators("f");

  /** The operator this invocation of the class installs (set on {@link #em} too). */
  @Parameter Target target;

  @BeforeParameterizedClassInvocation
  static void target(Target target) {
    em.use(target);
  }

  /** A clean slate (each case installs into a namespace of its own). */
  private static void fresh() {
    em.fresh(CLUSTER);
  }

  @TestFactory
  List<DynamicTest>
      aRunKilledRightBeforeOrAfterEveryWrite_thenAReRun_convergesWithNothingDuplicated() {
    fresh();
    String referenceNs = em.namespace("ref");
    WriteFaults counter = new WriteFaults();
    em.setup(CLUSTER, referenceNs, counter.aws(em.aws), counter.kubernetes(em.kube)).install();
    List<String> writes = counter.writes();
    List<String> reference = em.state(CLUSTER, referenceNs);
    em.clearNamespace(CLUSTER, referenceNs);
    assertThat(writes).as("writes of a clean install").hasSizeGreaterThanOrEqualTo(21);
    assertThat(reference)
        .contains("count deployments=1", "count pods=1", "count replicasets with replicas=1")
        .filteredOn(s -> s.startsWith("role ") || s.startsWith("provider "))
        .hasSize(2);
    System.out.println(
        "[FaultsIT] a clean install on the emulators makes " + writes.size() + " writes:");
    writes.forEach(w -> System.out.println("[FaultsIT]   " + w));

    int every = Integer.getInteger("reliability.faults.every", 1);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes.size(); i += every) {
      int n = i;
      String write = writes.get(n - 1);
      for (WriteFaults.When when : WriteFaults.When.values()) {
        String label = when.name().toLowerCase(Locale.ROOT);
        tests.add(
            DynamicTest.dynamicTest(
                "killed " + label + " write " + n + " (" + write.replace(referenceNs, "<ns>") + ")",
                () -> {
                  long start = System.nanoTime();
                  fresh();
                  long slate = System.nanoTime() - start;
                  String ns = em.namespace(label.charAt(0) + String.valueOf(n));
                  WriteFaults faults = new WriteFaults();
                  faults.failAt(n, when);
                  assertThatThrownBy(
                          () ->
                              em.setup(CLUSTER, ns, faults.aws(em.aws), faults.kubernetes(em.kube))
                                  .install())
                      .isInstanceOf(WriteFaults.ProcessDied.class)
                      .hasMessageContaining("write " + n + ": ");
                  // The objects of a stage are applied concurrently, so the writes of the same
                  // stage may come in another order, and some may still land after the one that
                  // died: the run made writes of the clean one only, none twice, at least n.
                  assertThat(faults.writes())
                      .as("the run made writes of the clean one only, none twice, up to its death")
                      .doesNotHaveDuplicates()
                      .hasSizeGreaterThanOrEqualTo(n)
                      .isSubsetOf(writes.stream().map(w -> w.replace(referenceNs, ns)).toList());

                  em.setup(CLUSTER, ns).install();
                  assertThat(em.state(CLUSTER, ns)).isEqualTo(reference);

                  WriteFaults third = new WriteFaults();
                  InstallReport again =
                      em.setup(CLUSTER, ns, third.aws(em.aws), third.kubernetes(em.kube)).install();
                  assertThat(third.writes()).as("writes of a third run").isEmpty();
                  assertThat(again.changed()).isFalse();
                  em.clearNamespace(CLUSTER, ns);
                  System.out.printf(
                      "[FaultsIT] %s killed %s write %d: %d ms, of which the slate %d ms%n",
                      em.target,
                      label,
                      n,
                      (System.nanoTime() - start) / 1_000_000,
                      slate / 1_000_000);
                }));
      }
    }
    return tests;
  }

  /** A progress line of the command that reports a change it made. */
  private static Pattern changeLine(String resourcePrefix) {
    return Pattern.compile(
        "(?m)^\\[\\s*[0-9.]+m?s\\]\\s+(create|update) " + Pattern.quote(resourcePrefix) + ".*$");
  }

  @ParameterizedTest(name = "killed after its first change of {0}")
  @ValueSource(strings = {"iam:role/", "kubernetes:"})
  void theCommandProcessKilledMidInstall_thenAReRun_converges(String resourcePrefix) {
    fresh();
    String referenceNs = em.namespace("pref" + resourcePrefix.charAt(0));
    em.setup(CLUSTER, referenceNs).install();
    List<String> reference = em.state(CLUSTER, referenceNs);
    em.clearNamespace(CLUSTER, referenceNs);
    fresh();
    String ns = em.namespace("kill" + resourcePrefix.charAt(0));
    List<String> args = em.args("install", CLUSTER, ns);
    Pattern killAt = changeLine(resourcePrefix);
    String before = Tools.killWhen(args, l -> killAt.matcher(l).matches());
    assertThat(before).as("the run got as far as").containsPattern(killAt);
    assertThat(em.state(CLUSTER, ns)).as("a partial install").isNotEqualTo(reference);

    Tools.Result rerun = Tools.operatorSetup(args);
    assertThat(rerun.exit()).as(rerun.output()).isZero();
    assertThat(em.state(CLUSTER, ns)).isEqualTo(reference);

    Tools.Result third = Tools.operatorSetup(args);
    assertThat(third.exit()).as(third.output()).isZero();
    assertThat(third.stdout()).containsPattern("install: changed 0 of \\d+ resources");
    em.clearNamespace(CLUSTER, ns);
  }
}
