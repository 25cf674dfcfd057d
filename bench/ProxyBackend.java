// The benchmark's application backend for the publish proxy (docs/proxy.md): accepts every publication at once
// with Centrifugo's empty result, over keep-alive HTTP/1.1, on PROXY_BACKEND_LOOPS event loops (default 2: one
// per core, as a real backend would use its cores; the instances share the port).
// Run against the client-sim jar's class path (it holds vertx-core):
//   java -cp client-sim/target/switchboard-client-sim.jar bench/ProxyBackend.java PORT
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;

public class ProxyBackend {
  static final Buffer REPLY = Buffer.buffer("{\"result\":{}}");
  static final AtomicLong ANSWERED = new AtomicLong();
  static int port;

  public static class Server extends VerticleBase {
    @Override
    public Future<?> start() {
      return vertx.createHttpServer()
          .requestHandler(req -> req.body().onSuccess(b -> {
            ANSWERED.incrementAndGet();
            req.response().putHeader("Content-Type", "application/json").end(REPLY);
          }))
          .listen(port, "127.0.0.1");
    }
  }

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    int loops = Integer.parseInt(System.getenv().getOrDefault("PROXY_BACKEND_LOOPS", "2"));
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("answered " + ANSWERED.get())));
    vertx.deployVerticle(Server::new, new DeploymentOptions().setInstances(loops))
        .onSuccess(s -> System.out.println("proxy backend on " + port + " (" + loops + " event loops)"))
        .onFailure(t -> { t.printStackTrace(); System.exit(1); });
  }
}
