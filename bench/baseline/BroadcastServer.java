// A plain Vert.x 5 broadcast server: the baseline Switchboard's fan-out is compared with.
// No protocol, no persistence, no authentication: every WebSocket on any path receives every publication.
//   POST /api/publish  {"channel":..,"data":..}             -> the body, as one text frame, to every socket
//   POST /api/batch    {"commands":[{"publish":{...}},...]} -> each publish in order, as above
// Run against the client-sim jar's class path (it holds vertx-core):
//   java -cp client-sim/target/switchboard-client-sim.jar bench/baseline/BroadcastServer.java 8090
// Written the ordinary way (a list of sockets per event loop, writeTextMessage to each), as a Vert.x user
// would, with nothing tuned: that is the point of the comparison.

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

public class BroadcastServer extends VerticleBase {
  static final String ADDRESS = "baseline.broadcast";
  private final int port;
  private final List<ServerWebSocket> sockets = new ArrayList<>();

  BroadcastServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    // Each event loop delivers to its own sockets.
    vertx.eventBus().<String>localConsumer(ADDRESS, msg -> {
      String frame = msg.body();
      for (ServerWebSocket ws : sockets) {
        ws.writeTextMessage(frame);
      }
    });
    return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
        .webSocketHandler(ws -> {
          sockets.add(ws);
          ws.closeHandler(v -> sockets.remove(ws));
          ws.handler(b -> { }); // ignore anything the client sends
        })
        .requestHandler(req -> req.body().onSuccess(body -> {
          JsonObject in = body.length() == 0 ? new JsonObject() : body.toJsonObject();
          if (req.path().endsWith("/publish")) {
            vertx.eventBus().publish(ADDRESS, in.encode());
            req.response().putHeader("content-type", "application/json").end("{\"result\":{}}");
          } else if (req.path().endsWith("/batch")) {
            JsonArray replies = new JsonArray();
            for (Object c : in.getJsonArray("commands", new JsonArray())) {
              JsonObject p = ((JsonObject) c).getJsonObject("publish");
              if (p != null) {
                vertx.eventBus().publish(ADDRESS, p.encode());
                replies.add(new JsonObject().put("publish", new JsonObject()));
              }
            }
            req.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("result", new JsonObject().put("replies", replies)).encode());
          } else {
            req.response().setStatusCode(404).end();
          }
        }))
        .listen();
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
    int loops = Runtime.getRuntime().availableProcessors();
    // Native epoll, as the Switchboard server uses: the comparison is of the code above the transport.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new BroadcastServer(port), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("baseline broadcast server on 127.0.0.1:" + port + " (" + loops
            + " event loops, native transport " + vertx.isNativeTransportEnabled() + ")"))
        .onFailure(t -> {
          t.printStackTrace();
          System.exit(1);
        });
  }
}
