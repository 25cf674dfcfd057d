// A throwaway PostgreSQL for multi-node benchmarks, from the binaries the server jar already carries (zonky).
//   java -cp server/target/switchboard-server.jar bench/PgLauncher.java DATA_DIR PORT
// Prints "PG_READY <port>" once the database "switchboard" (user postgres, trust auth) accepts connections,
// then holds PostgreSQL until stdin closes or the JVM gets SIGTERM/SIGINT, and stops it (fast shutdown).
// The settings are the server's durable ones (fsync and synchronous_commit on), so group commit is measured
// against real disk flushes.

import io.switchboard.storage.EmbeddedPostgresLauncher;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

public class PgLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: PgLauncher DATA_DIR PORT");
      System.exit(2);
    }
    EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(Path.of(args[0]), Integer.parseInt(args[1]),
        Map.of("max_connections", "300", "shared_buffers", "256MB"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception e) {
        System.err.println("PgLauncher: stop failed: " + e);
      }
      stopped.countDown();
    }));
    System.out.println("PG_READY " + pg.port());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // hold until stdin closes
      }
    } catch (java.io.IOException e) {
      // closed
    }
    System.exit(0);
  }
}
