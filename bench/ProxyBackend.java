// The benchmark's application backend for the publish proxy (docs/proxy.md): accepts every publication at once
// with Centrifugo's empty result, over keep-alive HTTP/1.1, on one event loop.
// Run against the client-sim jar's class path (it holds vertx-core):
//   java -cp client-sim/target/switchboard-client-sim.jar bench/ProxyBackend.java PORT
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;

public class ProxyBackend {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Buffer reply = Buffer.buffer("{\"result\":{}}");
    AtomicLong answered = new AtomicLong();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("answered " + answered.get())));
    vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          answered.incrementAndGet();
          req.response().putHeader("Content-Type", "application/json").end(reply);
        }))
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("proxy backend on " + port))
        .onFailure(t -> { t.printStackTrace(); System.exit(1); });
  }
}
