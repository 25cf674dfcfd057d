package io.switchboard.testsupport;

import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.HistoryOptions;
import io.github.centrifugal.centrifuge.HistoryResult;
import io.github.centrifugal.centrifuge.JoinEvent;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.PresenceResult;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.ResultCallback;
import io.github.centrifugal.centrifuge.ServerPublicationEvent;
import io.github.centrifugal.centrifuge.ServerSubscribedEvent;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionErrorEvent;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import io.github.centrifugal.centrifuge.UnsubscribedEvent;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The official Java SDK ({@code io.github.centrifugal:centrifuge-java}, Protobuf only) with its callbacks
 * turned into futures and queues of what arrived. {@link #close()} stops the SDK's executors and the OkHttp
 * clients of its sockets.
 */
public final class JavaSdkClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  public final Client client;
  public final BlockingQueue<ConnectedEvent> connected = new LinkedBlockingQueue<>();
  public final BlockingQueue<DisconnectedEvent> disconnected = new LinkedBlockingQueue<>();
  public final BlockingQueue<ServerSubscribedEvent> serverSubscribed = new LinkedBlockingQueue<>();
  public final BlockingQueue<ServerPublicationEvent> serverPublications = new LinkedBlockingQueue<>();
  private final Map<String, Sub> subs = new ConcurrentHashMap<>();
  private final java.util.Set<okhttp3.OkHttpClient> okHttps = ConcurrentHashMap.newKeySet();

  /** One subscription's events. */
  public static final class Sub {
    public Subscription subscription;
    public final BlockingQueue<SubscribedEvent> subscribed = new LinkedBlockingQueue<>();
    public final BlockingQueue<PublicationEvent> publications = new LinkedBlockingQueue<>();
    public final BlockingQueue<JoinEvent> joins = new LinkedBlockingQueue<>();
    public final BlockingQueue<UnsubscribedEvent> unsubscribed = new LinkedBlockingQueue<>();
    public final List<SubscriptionErrorEvent> errors = new CopyOnWriteArrayList<>();
  }

  public JavaSdkClient(String url, String token) {
    Options opts = new Options();
    opts.setToken(token);
    opts.setMinReconnectDelay(100);
    opts.setMaxReconnectDelay(1000);
    client = new Client(url, opts, new EventListener() {
      @Override
      public void onConnected(Client c, ConnectedEvent e) {
        connected.add(e);
      }

      @Override
      public void onDisconnected(Client c, DisconnectedEvent e) {
        disconnected.add(e);
      }

      @Override
      public void onSubscribed(Client c, ServerSubscribedEvent e) {
        serverSubscribed.add(e);
      }

      @Override
      public void onPublication(Client c, ServerPublicationEvent e) {
        serverPublications.add(e);
      }
    });
  }

  public ConnectedEvent connect() throws InterruptedException {
    client.connect();
    ConnectedEvent e = await(connected, "connected");
    okHttpOfSocket(); // each connect builds its own OkHttp client: remember it for close()
    return e;
  }

  /** A new subscription, subscribed; its {@code subscribed} queue already holds the event it waited for. */
  public Sub subscribe(String channel, boolean joinLeave) throws Exception {
    Sub s = new Sub();
    io.github.centrifugal.centrifuge.SubscriptionOptions o = new io.github.centrifugal.centrifuge.SubscriptionOptions();
    o.setJoinLeave(joinLeave);
    s.subscription = client.newSubscription(channel, o, new SubscriptionEventListener() {
      @Override
      public void onSubscribed(Subscription sub, SubscribedEvent e) {
        s.subscribed.add(e);
      }

      @Override
      public void onPublication(Subscription sub, PublicationEvent e) {
        s.publications.add(e);
      }

      @Override
      public void onJoin(Subscription sub, JoinEvent e) {
        s.joins.add(e);
      }

      @Override
      public void onUnsubscribed(Subscription sub, UnsubscribedEvent e) {
        s.unsubscribed.add(e);
      }

      @Override
      public void onError(Subscription sub, SubscriptionErrorEvent e) {
        s.errors.add(e);
      }
    });
    subs.put(channel, s);
    s.subscription.subscribe();
    return s;
  }

  public void publish(Sub s, byte[] data) throws Exception {
    CompletableFuture<Object> f = new CompletableFuture<>();
    s.subscription.publish(data, callback(f));
    get(f);
  }

  /** The publish's error (a {@code ReplyError}), or null when it succeeded. */
  public Throwable publishError(Sub s, byte[] data) throws Exception {
    CompletableFuture<Object> f = new CompletableFuture<>();
    s.subscription.publish(data, callback(f));
    try {
      get(f);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  public HistoryResult history(Sub s, int limit) throws Exception {
    CompletableFuture<HistoryResult> f = new CompletableFuture<>();
    s.subscription.history(new HistoryOptions.Builder().withLimit(limit).build(), callback(f));
    return get(f);
  }

  public PresenceResult presence(Sub s) throws Exception {
    CompletableFuture<PresenceResult> f = new CompletableFuture<>();
    s.subscription.presence(callback(f));
    return get(f);
  }

  public byte[] rpc(String method, byte[] data) throws Exception {
    CompletableFuture<io.github.centrifugal.centrifuge.RPCResult> f = new CompletableFuture<>();
    client.rpc(method, data, callback(f));
    return get(f).getData();
  }

  private static <T> ResultCallback<T> callback(CompletableFuture<? super T> f) {
    return (err, result) -> {
      if (err != null) {
        f.completeExceptionally(err);
      } else {
        f.complete(result);
      }
    };
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next element of {@code q} within the wait, or an AssertionError naming {@code what}. */
  public static <T> T await(BlockingQueue<T> q, String what) throws InterruptedException {
    T e = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no " + what + " within " + WAIT);
    }
    return e;
  }

  /**
   * Disconnects and stops the SDK's two executors, then the OkHttp client of each socket this client opened:
   * the SDK (0.4.1) builds one per connect and keeps no handle on it, so {@link #connect} reaches it through
   * the socket's call. Their dispatcher threads are not daemons and would otherwise idle for a minute.
   */
  @Override
  public void close() throws InterruptedException {
    okHttpOfSocket();
    if (!client.close(5000)) {
      throw new AssertionError("the SDK's executor did not stop");
    }
    for (okhttp3.OkHttpClient http : okHttps) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  private void okHttpOfSocket() {
    Object ws = field(client, "ws");
    Object call = ws == null ? null : field(ws, "call");
    if (call != null) {
      try {
        okHttps.add((okhttp3.OkHttpClient) call.getClass().getMethod("getClient").invoke(call));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot reach the SDK's OkHttp client", e);
      }
    }
  }

  /** Waits until no OkHttp thread that would keep a JVM alive is left; names what is left otherwise. */
  public static void awaitOkHttpThreadsGone(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("OkHttp")).map(Thread::getName).toList();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("OkHttp threads still running: " + left);
  }

  /** A stream position's epoch (the SDK 0.4.1 keeps its getters package-private). */
  public static String epoch(io.github.centrifugal.centrifuge.StreamPosition p) {
    return (String) field(p, "epoch");
  }

  public static long offset(io.github.centrifugal.centrifuge.StreamPosition p) {
    return (Long) field(p, "offset");
  }

  private static Object field(Object o, String name) {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look further up
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    return null;
  }
}
