package io.switchboard.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line of a child process: this JVM's java and class path, the parent's arguments minus the
 * parent-only ones (output files), plus the child's index and the run id.
 */
final class ChildCommand {
  /** Options only the parent acts on (each takes a value). */
  static final Set<String> PARENT_ONLY = Set.of("--json", "--html", "--server-pids", "--child-jvm-opts",
      "--child-index", "--run-id");

  private ChildCommand() {}

  static List<String> build(CommandSpec spec, CommonOptions o, int index, String runId) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String opt : o.childJvmOpts.trim().split("\\s+")) {
      if (!opt.isEmpty()) {
        cmd.add(opt);
      }
    }
    cmd.add("--enable-native-access=ALL-UNNAMED"); // netty's native epoll
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClientSim.class.getName());
    cmd.addAll(childArgs(spec.commandLine().getParseResult().originalArgs(), index, runId));
    return cmd;
  }

  /** The parent's arguments for child {@code index}: the subcommand and its options, minus parent-only ones. */
  static List<String> childArgs(List<String> original, int index, String runId) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < original.size(); i++) {
      String a = original.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (a.equals("--quiet")) {
        continue;
      }
      if (PARENT_ONLY.contains(name)) {
        if (!a.contains("=")) {
          i++; // skip the value too
        }
        continue;
      }
      out.add(a);
    }
    out.add("--child-index");
    out.add(Integer.toString(index));
    out.add("--run-id");
    out.add(runId);
    out.add("--quiet");
    return out;
  }
}
