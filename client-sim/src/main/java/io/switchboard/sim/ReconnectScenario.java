package io.switchboard.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconnect", mixinStandardHelpOptions = true,
    description = "N clients in durable rooms while the API publishes R/s into the rooms. After --drop-after the "
        + "clients drop their connections (or --kill-pid kills a server node with SIGKILL); they reconnect to the "
        + "next --url and recover from their last offset. Reports time-to-recovered and completeness.")
class ReconnectScenario extends Scenario {
  @Option(names = "--room-size", paramLabel = "K", defaultValue = "50",
      description = "Members per room (default: ${DEFAULT-VALUE})")
  int roomSize;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "100",
      description = "Publications per second into the rooms, in total (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--drop-after", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
      description = "When, into the run phase, the connections drop (default: ${DEFAULT-VALUE})")
  Duration dropAfter;

  @Option(names = "--kill-pid", paramLabel = "PID",
      description = "Kill this server process (SIGKILL) instead of dropping on the client side")
  Long killPid;

  @Override
  String name() {
    return "reconnect";
  }

  @Override
  List<String> scenarioProblems() {
    List<String> p = new ArrayList<>();
    if (roomSize < 1) {
      p.add("--room-size must be at least 1");
    }
    if (rate <= 0 || rate > 100_000) {
      p.add("--rate must be above 0 and at most 100000");
    }
    if (dropAfter.compareTo(common.duration) >= 0) {
      p.add("--drop-after (" + dropAfter.toMillis() + "ms) must be before the end of --duration");
    }
    if (killPid != null) {
      if (killPid == ProcessHandle.current().pid() || ProcessHandle.of(killPid).isEmpty()) {
        p.add("--kill-pid: no such server process " + killPid);
      }
      if (common.urls.size() < 2) {
        p.add("--kill-pid needs at least two --url (the clients reconnect to another node)");
      }
    }
    if (common.raw) {
      p.add("reconnect needs the protocol (recovery): --raw is for fanout against the baseline server");
    }
    return p;
  }

  String room(int r) {
    return "chat:" + common.userPrefix + "-" + runId + "-rc-" + r;
  }

  int rooms() {
    return (common.connections + roomSize - 1) / roomSize;
  }

  @Override
  ConnPlan plan(int i) {
    return new ConnPlan(user(i), List.of(room(i / roomSize)), null, null, true);
  }

  @Override
  boolean needsApi() {
    return true;
  }

  @Override
  boolean reconnects() {
    return true;
  }

  @Override
  Publisher publisher(Vertx vertx, ApiClient api) {
    List<String> rooms = new ArrayList<>();
    for (int r = 0; r < rooms(); r++) {
      rooms.add(room(r));
    }
    return new ChannelsPublisher(vertx, api, rooms, rate, 50, 4, 100);
  }

  @Override
  void duringRun(Runner.RunControl run) {
    if (killPid != null) {
      long pid = killPid;
      run.at(dropAfter, "kill -9 server pid " + pid,
          () -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    } else {
      run.at(dropAfter, "drop every connection", run::dropAll);
    }
  }

  @Override
  Collection<String> channelsToQueryTop(LossReport loss) {
    return loss.channels().keySet();
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("room_size", roomSize).put("rate", rate).put("drop_after_ms", dropAfter.toMillis())
        .put("kill_pid", killPid);
  }
}
