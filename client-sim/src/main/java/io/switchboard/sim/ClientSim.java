package io.switchboard.sim;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The load simulator: {@code java -jar switchboard-client-sim.jar <scenario> [options]}. */
@Command(name = "switchboard-client-sim", mixinStandardHelpOptions = true, version = "0.1.0",
    description = {"Load simulator for Switchboard (Centrifugo client protocol, JSON or Protobuf, over WebSocket).",
        "Every run is bounded: ramp (--ramp-timeout), run (--duration), drain (--drain); then it reports."},
    subcommands = {IdleScenario.class, ConnectStormScenario.class, FanoutScenario.class, ChatScenario.class,
        NotifyScenario.class, ReconnectScenario.class, StormScenario.class, ReportCommand.class},
    footer = {"", "Example: fanout --url ws://127.0.0.1:8000/connection/websocket --api http://127.0.0.1:8000/api "
        + "--api-key KEY --token-secret SECRET -n 1000 --rate 10 --duration 10s --json out/fanout.json"})
public final class ClientSim implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Name a scenario: idle, connect-storm, fanout, chat, notify or reconnect (see --help)");
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ClientSim()).setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("client-sim: " + ex.getMessage().replace("\n", "\nclient-sim: "));
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return c.getCommandSpec().exitCodeOnInvalidInput();
    });
    return cl;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
