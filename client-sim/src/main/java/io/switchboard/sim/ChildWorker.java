package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link ChildMain}. It reports on stdout, one line each: {@code T <json>} every second (a
 * tick), {@code S} when its publishing has stopped, {@code R <json>} with the final result. It obeys lines on
 * stdin: {@code go}, {@code warm}, {@code stop}, {@code drop}, {@code finish}; at the end of stdin it finishes by itself.
 */
final class ChildWorker implements Worker {
  private final List<String> command;
  private final int index;
  private Process process;
  private OutputStream stdin;
  private final ConcurrentLinkedQueue<JsonObject> ticks = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final CompletableFuture<JsonObject> result = new CompletableFuture<>();
  private volatile boolean ready;

  ChildWorker(List<String> command, int index) {
    this.command = command;
    this.index = index;
  }

  @Override
  public void start() {
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start child process " + index + ": " + e.getMessage(), e);
    }
    stdin = process.getOutputStream();
    Thread reader = new Thread(this::read, "child-" + index + "-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("T ")) {
          JsonObject t = new JsonObject(line.substring(2));
          if (t.getBoolean("ramp_done", false)) {
            ready = true;
          }
          ticks.add(t);
        } else if (line.equals("S")) {
          stopped.complete(null);
        } else if (line.startsWith("R ")) {
          result.complete(new JsonObject(line.substring(2)));
        } else {
          System.err.println("[child " + index + "] " + line);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("[child " + index + "] output unreadable: " + e.getMessage());
    }
    stopped.complete(null);
    result.complete(null);
  }

  private synchronized void send(String cmd) {
    try {
      stdin.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      // the child is gone; its result will be missing
    }
  }

  @Override
  public boolean ready() {
    return ready || !alive();
  }

  @Override
  public boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public List<JsonObject> ticks() {
    List<JsonObject> out = new ArrayList<>();
    JsonObject t;
    while ((t = ticks.poll()) != null) {
      out.add(t);
    }
    return out;
  }

  @Override
  public void go() {
    send("go");
  }

  @Override
  public void stopPublishing(long timeoutMs) {
    send("stop");
    try {
      stopped.get(timeoutMs + 2000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // bounded: carry on
    }
  }

  @Override
  public void endWarmup() {
    send("warm");
  }

  @Override
  public void drop() {
    send("drop");
  }

  @Override
  public JsonObject finish(long timeoutMs) {
    send("finish");
    JsonObject r = null;
    try {
      r = result.get(timeoutMs, TimeUnit.MILLISECONDS);
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // bounded
    }
    kill();
    return r;
  }

  @Override
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
