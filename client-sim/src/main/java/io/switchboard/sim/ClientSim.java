package io.switchboard.sim;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Load simulator entry point. The scenarios arrive with issue 5; this skeleton only parses flags. */
@Command(name = "switchboard-client-sim", mixinStandardHelpOptions = true, version = "0.1.0",
    description = "Load simulator for Switchboard (scenarios: see issue 5; not implemented yet).")
public final class ClientSim implements Runnable {
  @Override
  public void run() {
    System.err.println("No scenario implemented yet. See --help.");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClientSim()).execute(args));
  }
}
