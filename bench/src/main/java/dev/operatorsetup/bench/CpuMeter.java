package dev.operatorsetup.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time the emulators' processes, this JVM and the whole machine used over an interval, from
 * {@code /proc} (Linux). It shows whether a run was limited by the control plane, moto, this
 * process, or by other work on the machine.
 */
final class CpuMeter {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

  private final Map<String, Long> pids = new LinkedHashMap<>();

  /**
   * Watches the processes of the pid files in {@code planePids} ({@code <component>.pid}, as
   * scripts/control-plane writes them) and the moto pid file; either may be null.
   */
  CpuMeter(Path planePids, Path motoPid) {
    if (planePids != null && Files.isDirectory(planePids)) {
      for (String c :
          List.of("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kwok")) {
        readPid(planePids.resolve(c + ".pid")).ifPresent(pid -> pids.put(c, pid));
      }
    }
    if (motoPid != null) {
      readPid(motoPid).ifPresent(pid -> pids.put("moto", pid));
    }
  }

  private static java.util.Optional<Long> readPid(Path file) {
    try {
      return java.util.Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** CPU seconds used so far: per watched process, {@code this JVM}, and {@code machine}. */
  Map<String, Double> sample() {
    Map<String, Double> out = new LinkedHashMap<>();
    pids.forEach((name, pid) -> out.put(name, processSeconds(pid)));
    out.put(
        "this JVM",
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9);
    out.put("machine", machineBusySeconds());
    return out;
  }

  /** Returns {@code after - before} per key. */
  static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, v)));
    return out;
  }

  private static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": f[0] is field 3 (state); utime and stime are fields 14 and 15
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
