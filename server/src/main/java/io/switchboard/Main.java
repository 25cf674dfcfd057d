package io.switchboard;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar switchboard-server.jar [--conf PATH]}: loads the configuration and runs a node. */
@Command(name = "switchboard-server", mixinStandardHelpOptions = true, version = "Switchboard 0.1.0",
    description = "WebSocket chat and notification server (Centrifugo client protocol).")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--conf", paramLabel = "PATH", description = "YAML configuration merged over the defaults.")
  Path conf;

  @Override
  public Integer call() throws Exception {
    SwitchboardConfig config;
    try {
      config = ConfigLoader.load(conf, System.getenv());
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 2;
    }
    Switchboard node;
    try {
      node = Switchboard.start(config);
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(node), "switchboard-shutdown"));
    printBanner(node);
    Thread.currentThread().join(); // the node runs on Vert.x threads until SIGTERM
    return 0;
  }

  /** SIGTERM: drain, then close; past {@code shutdown.grace} the process stops regardless. */
  private static void shutdown(Switchboard node) {
    long graceMs = node.config().shutdown().grace().toMillis();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(graceMs);
        LOG.error("shutdown did not finish within {} ms; halting", graceMs);
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException done) {
        // finished in time
      }
    }, "switchboard-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    node.drainAndClose();
    watchdog.interrupt();
    LOG.info("stopped");
  }

  private static void printBanner(Switchboard sb) {
    SwitchboardConfig c = sb.config();
    String base = "http://" + (c.http().host().equals("0.0.0.0") ? "localhost" : c.http().host()) + ":" + c.http().port();
    StringBuilder b = new StringBuilder("\n");
    b.append("  Switchboard 0.1.0 is running (node ").append(c.nodeName()).append(")\n");
    b.append("  Chat page        ").append(base).append("/\n");
    b.append("  WebSocket        ").append(base.replace("http", "ws")).append("/connection/websocket\n");
    b.append("  Server API       ").append(base).append("/api/<method>").append(c.apiKey().isEmpty() ? "  (disabled: no api.key)" : "").append('\n');
    b.append("  Health, metrics  ").append(base).append("/health/ready, ").append(base).append("/metrics\n");
    b.append("  PostgreSQL       ").append(sb.pgDescription()).append('\n');
    b.append("  Data directory   ").append(Path.of(c.dataDir()).toAbsolutePath().normalize()).append('\n');
    b.append("  Demo mode        ").append(c.demo() ? "ON (GET /demo/token mints tokens for anyone: not for production)" : "off").append('\n');
    LOG.info(b.toString());
    if (c.demo()) {
      LOG.warn("Demo mode is on: anyone can get a token for any user name at /demo/token");
    }
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
