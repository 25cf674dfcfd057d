package io.switchboard.sim;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server CPU time and resident memory from {@code /proc}: each given PID plus its descendants (an embedded
 * PostgreSQL started by a server counts as that server's).
 */
public final class ProcSampler {
  /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux build in use. */
  static final double CLOCK_TICKS = 100.0;

  private final List<Long> pids;

  public ProcSampler(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  public boolean enabled() {
    return !pids.isEmpty();
  }

  /** CPU seconds (user + system) and RSS in KiB, summed; {@code alive} counts the given PIDs still running. */
  public record Sample(long nanoTime, double cpuSeconds, long rssKib, int alive) {}

  public Sample sample() {
    long now = System.nanoTime();
    if (pids.isEmpty()) {
      return new Sample(now, 0, 0, 0);
    }
    Map<Long, List<Long>> children = childrenMap();
    double cpu = 0;
    long rss = 0;
    int alive = 0;
    for (long root : pids) {
      if (!Files.exists(Path.of("/proc", Long.toString(root)))) {
        continue;
      }
      alive++;
      Set<Long> seen = new HashSet<>();
      ArrayDeque<Long> todo = new ArrayDeque<>(List.of(root));
      while (!todo.isEmpty()) {
        long pid = todo.poll();
        if (!seen.add(pid)) {
          continue;
        }
        cpu += cpuSeconds(pid);
        rss += rssKib(pid);
        todo.addAll(children.getOrDefault(pid, List.of()));
      }
    }
    return new Sample(now, cpu, rss, alive);
  }

  /** utime + stime of one process in seconds, 0 if it is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = afterComm(stat);
      // fields after "(comm)": state(3) ppid(4) ... utime(14) stime(15): indexes 11 and 12 here
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  private static String[] afterComm(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
  }

  private static Map<Long, List<Long>> childrenMap() {
    Map<Long, List<Long>> map = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
        .chars().allMatch(Character::isDigit))) {
      for (Path d : dirs) {
        try {
          String[] f = afterComm(Files.readString(d.resolve("stat")));
          long ppid = Long.parseLong(f[1]);
          map.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(d.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
          // raced with exit
        }
      }
    } catch (IOException e) {
      // no /proc
    }
    return map;
  }
}
