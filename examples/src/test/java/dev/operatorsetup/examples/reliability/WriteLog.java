package dev.operatorsetup.examples.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The writes of one run, as the proxies in front of moto_server and the API server see them,
 * numbered in the order they arrive, with the times they arrived and were answered. It can kill the
 * run's process (SIGKILL, from outside) at its Nth write, and hold the run's first write until
 * another run's first write has arrived too.
 *
 * <p>A write: on the AWS side, a query-protocol call (IAM, STS) whose action mutates ({@code
 * Create*}, {@code Update*}, {@code Attach*}, {@code Detach*}, {@code Delete*}, {@code Put*},
 * {@code Tag*}, {@code Untag*}, ...), or a REST call (EKS) other than GET and HEAD; on the
 * Kubernetes side, a POST, PUT, PATCH or DELETE.
 */
final class WriteLog {
  /** Where the run is killed: its write held at the proxy, or its answer held. */
  enum Kill {
    /** The write arrived at the proxy and is never passed on: the server never sees it. */
    IN_FLIGHT,
    /** The write was made and answered; the run is killed before the answer reaches it. */
    AFTER_ANSWER
  }

  /** One write: its number in the run, side, what it was, and when (System.nanoTime). */
  static final class Write {
    final int number;
    final String what;
    final long arrived;
    volatile long answered;

    Write(int number, String what, long arrived) {
      this.number = number;
      this.what = what;
      this.arrived = arrived;
    }

    @Override
    public String toString() {
      return number + " " + what;
    }
  }

  private static final Pattern MUTATING =
      Pattern.compile(
          "(Create|Update|Attach|Detach|Delete|Put|Tag|Untag|Add|Remove|Set|Upload|Associate"
              + "|Disassociate|Enable|Disable|Change|Reset|Stop|Start)[A-Z].*");
  private static final Set<String> KUBERNETES_WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final AtomicInteger count = new AtomicInteger();
  private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
  private final Map<FlakyProxy.Request, Write> open =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private final CompletableFuture<Process> process = new CompletableFuture<>();
  private int killAt = -1;
  private Kill kill;
  private CountDownLatch gate;
  private Duration gateTimeout;
  private volatile boolean killed;
  private volatile boolean gateTimedOut;

  /** Kills the run's process at its write number {@code n} (1-based). */
  WriteLog killAt(int n, Kill when) {
    this.killAt = n;
    this.kill = when;
    return this;
  }

  /**
   * Holds the run's first write until {@code gate} (shared with the other runs, one count each)
   * reaches zero, at most {@code timeout}.
   */
  WriteLog holdFirstWrite(CountDownLatch gate, Duration timeout) {
    this.gate = gate;
    this.gateTimeout = timeout;
    return this;
  }

  /** The process to kill, once it has started. */
  void process(Process p) {
    process.complete(p);
  }

  boolean killed() {
    return killed;
  }

  boolean gateTimedOut() {
    return gateTimedOut;
  }

  List<Write> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  /** When the first write arrived at a proxy (System.nanoTime); the run must have written. */
  long firstArrived() {
    return writes().stream().mapToLong(w -> w.arrived).min().orElseThrow();
  }

  /** When the last write was answered, or, if none was, arrived (System.nanoTime). */
  long lastAnswered() {
    return writes().stream().mapToLong(w -> Math.max(w.arrived, w.answered)).max().orElseThrow();
  }

  /** The tap for the proxy of one side, {@code aws} or {@code kubernetes}. */
  FlakyProxy.Tap on(String side) {
    return new FlakyProxy.Tap() {
      @Override
      public boolean arrived(FlakyProxy.Request r) {
        return WriteLog.this.arrived(side, r);
      }

      @Override
      public boolean answered(FlakyProxy.Request r, int status) {
        return WriteLog.this.answered(r);
      }
    };
  }

  static boolean isWrite(String side, FlakyProxy.Request r) {
    if (side.equals("kubernetes")) {
      return KUBERNETES_WRITES.contains(r.method());
    }
    String action = r.action();
    if (!action.isEmpty()) {
      return MUTATING.matcher(action).matches();
    }
    return !r.method().equals("GET") && !r.method().equals("HEAD");
  }

  private static String describe(String side, FlakyProxy.Request r) {
    if (side.equals("aws") && !r.target().isEmpty()) {
      return "aws " + r.target();
    }
    if (side.equals("aws") && !r.action().isEmpty()) {
      return "aws " + r.action();
    }
    return side + " " + r.method() + " " + r.path().replaceAll("\\?.*", "");
  }

  private boolean arrived(String side, FlakyProxy.Request r) {
    if (killed) {
      return false; // sent by a process being killed: it never leaves
    }
    if (!isWrite(side, r)) {
      return true;
    }
    Write w;
    synchronized (writes) {
      w = new Write(count.incrementAndGet(), describe(side, r), System.nanoTime());
      writes.add(w);
    }
    if (w.number == 1 && gate != null) {
      holdAtGate();
    }
    if (w.number == killAt && kill == Kill.IN_FLIGHT) {
      killProcess();
      return false;
    }
    open.put(r, w);
    return true;
  }

  private boolean answered(FlakyProxy.Request r) {
    Write w = open.remove(r);
    if (w == null) {
      return !killed;
    }
    w.answered = System.nanoTime();
    if (w.number == killAt && kill == Kill.AFTER_ANSWER) {
      killProcess();
      return false;
    }
    return !killed;
  }

  private void holdAtGate() {
    gate.countDown();
    try {
      gateTimedOut = !gate.await(gateTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to the process (and any child of it), from outside; returns once it is dead. */
  private synchronized void killProcess() {
    killed = true;
    Process p = process.orTimeout(30, TimeUnit.SECONDS).join();
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the process did not die of SIGKILL in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
