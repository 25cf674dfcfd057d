package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The child side of {@link ChildWorker}: runs an engine, reports on stdout, obeys stdin, always ends by itself. */
final class ChildMain {
  private ChildMain() {}

  static int run(EngineConfig config, long hardDeadlineMs) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    Object lock = new Object();
    Engine engine = new Engine(config);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "child-ticker");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      JsonObject t = engine.metrics().tick();
      synchronized (lock) {
        out.println("T " + t.encode());
        out.flush();
      }
    }, 1, 1, TimeUnit.SECONDS);
    Thread deadline = new Thread(() -> {
      try {
        Thread.sleep(hardDeadlineMs);
        System.err.println("client-sim child: hard deadline reached, exiting");
        Runtime.getRuntime().halt(4);
      } catch (InterruptedException e) {
        // done in time
      }
    }, "child-deadline");
    deadline.setDaemon(true);
    deadline.start();
    engine.start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String cmd;
      while ((cmd = in.readLine()) != null) {
        switch (cmd.trim()) {
          case "go" -> engine.startPublishing();
          case "drop" -> engine.drop();
          case "warm" -> engine.metrics().endWarmup();
          case "stop" -> {
            LocalWorker.await(engine.stopPublishing(10_000), 12_000);
            synchronized (lock) {
              out.println("S");
              out.flush();
            }
          }
          case "finish" -> {
            finish(engine, out, lock, timer);
            return 0;
          }
          default -> System.err.println("client-sim child: unknown command " + cmd);
        }
      }
    } catch (java.io.IOException e) {
      // parent gone
    }
    finish(engine, out, lock, timer);
    return 0;
  }

  private static void finish(Engine engine, PrintStream out, Object lock, ScheduledExecutorService timer) {
    JsonObject r = LocalWorker.await(engine.finish(), 30_000);
    timer.shutdownNow();
    synchronized (lock) {
      out.println("R " + (r == null ? "{}" : r.encode()));
      out.flush();
    }
    engine.close();
  }
}
