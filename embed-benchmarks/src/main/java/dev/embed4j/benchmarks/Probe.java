package dev.embed4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the harness reads about the machine and its own process around a measured run. */
final class Probe {
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  private Probe() {}

  /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them; "n/a" off Linux. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** CPU time of this process, all threads, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of this process's threads by what they do, in nanoseconds: the JIT compilers', the
   * garbage collector's (with the VM thread, which runs its pauses) and the rest, the client's own
   * work; all -1 off Linux. Read from {@code /proc/self/task}, so a thread that ended before the
   * call is not counted: take it around a run whose threads outlive it, as the harness does.
   */
  static long[] threadCpuNanos() {
    long[] groups = new long[3];
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        int close = stat.lastIndexOf(')');
        String name = stat.substring(stat.indexOf('(') + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        int group =
            name.contains("CompilerThre")
                ? 0
                : name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")
                    ? 1
                    : 2;
        groups[group] += ticks * NANOS_PER_TICK;
      }
      return groups;
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1, -1};
    }
  }

  /**
   * CPU time all processes of the machine have used since boot, from {@code /proc/stat}; -1 off
   * Linux.
   */
  static long machineCpuNanos() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Collects garbage, then starts the peak usage of every heap pool afresh. */
  static void collectGarbageAndResetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peak usage since {@link #collectGarbageAndResetPeaks()}. */
  static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
