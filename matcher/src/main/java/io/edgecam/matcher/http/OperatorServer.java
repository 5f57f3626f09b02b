package io.edgecam.matcher.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.auth.ApiTokens;
import io.edgecam.matcher.config.HttpConfig;
import io.edgecam.matcher.config.OversightConfig;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.enroll.ImageEmbedder;
import io.edgecam.matcher.oversight.Oversight;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.protocol.Alert;
import io.edgecam.protocol.EdgecamException;
import io.edgecam.protocol.Health;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP server in the matcher (JDK {@code com.sun.net.httpserver}, no framework): the
 * REST API under {@code /api/} (docs/api.md, docs/openapi.json), the dashboard at {@code /}, live
 * events at {@code /api/events}, {@code /health} and {@code /metrics}. Requests run on a pool of
 * {@value #THREADS} {@code matcher-http-N} threads; event streams are written by {@code
 * matcher-http-events}. Thread-safe.
 */
public final class OperatorServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorServer.class);
  static final int THREADS = 4;

  /** JDK system property: TCP_NODELAY on the JDK HTTP server's sockets (default false). */
  public static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server sends headers and body as two writes; with Nagle's algorithm the body waits
    // for the client's delayed ACK, ~40 ms per request (measured: 84 req/s and 46 ms p50 without,
    // 1,370 req/s and 2 ms p50 with). The JDK reads the property once, when its first server is
    // created in the JVM; edgecam's main sets it too, before any server starts.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  /**
   * What the server works on.
   *
   * @param store alerts and API tokens
   * @param watchlist the live watchlist (enroll, remove, extend)
   * @param devices the fleet from the status topics
   * @param audit where logins, views, exports and changes are recorded
   * @param alertListeners registers a listener for every new alert (the live stream)
   * @param health component health for {@code /health}
   * @param metrics the Prometheus scrape, or null when there are no metrics
   * @param embedders opens the face pipeline for enrollment (on first use)
   * @param clock time for expiry checks and token use
   * @param oversight confirms and rejects alerts (two-person verification)
   * @param oversightConfig confirmations needed and the cameras' playback links
   */
  public record Backend(
      MatcherStore store,
      Watchlist watchlist,
      DeviceRegistry devices,
      AuditLog audit,
      Consumer<Consumer<Alert>> alertListeners,
      Supplier<Map<String, Health>> health,
      @Nullable Supplier<String> metrics,
      Supplier<ImageEmbedder> embedders,
      Clock clock,
      Oversight oversight,
      OversightConfig oversightConfig) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final EventStream events;
  private final AccessGuard guard;
  private final Enroller enroller;
  private final String url;
  private final Router router;

  private OperatorServer(
      HttpServer server,
      ExecutorService pool,
      EventStream events,
      AccessGuard guard,
      Enroller enroller,
      String url,
      Router router) {
    this.server = server;
    this.pool = pool;
    this.events = events;
    this.guard = guard;
    this.enroller = enroller;
    this.url = url;
    this.router = router;
  }

  /**
   * Binds and starts serving.
   *
   * @throws EdgecamException if the address cannot be bound or the TLS key store cannot be used
   */
  public static OperatorServer start(HttpConfig config, Backend b) {
    ApiTokens tokens = new ApiTokens(b.store(), b.clock());
    EventStream events = new EventStream(b.audit(), tokens, b.clock());
    AccessGuard guard = new AccessGuard(b.audit(), b.clock());
    Enroller enroller = new Enroller(b.embedders(), b.watchlist(), b.clock());
    Router router = new Router();
    new SessionRoutes(b.audit()).register(router);
    new DeviceRoutes(b.devices()).register(router);
    new StatusRoutes(b.watchlist()).register(router);
    new AlertRoutes(b.store(), b.audit(), new AlertViews(b.store(), b.oversightConfig()))
        .register(router);
    new ReviewRoutes(
            b.store(),
            b.audit(),
            b.oversight(),
            b.oversightConfig(),
            b.clock(),
            () -> b.watchlist().operatingPoint().expectedFpir())
        .register(router);
    events.register(router);
    new WatchlistRoutes(b.watchlist(), enroller, b.clock(), b.audit()).register(router);
    new AuditRoutes(b.audit()).register(router);
    new TokenRoutes(tokens, b.audit()).register(router);

    HttpServer server;
    try {
      InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
      if (address.isUnresolved()) {
        throw new EdgecamException("http.bind: cannot resolve '" + config.bind() + "'");
      }
      server = config.tls() == null ? HttpServer.create(address, 64) : https(address, config.tls());
    } catch (IOException e) {
      events.close();
      guard.close();
      throw new EdgecamException(
          "http: cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(),
          e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "matcher-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    StaticFiles files = new StaticFiles();
    server.createContext("/", files);
    server.createContext(ApiHandler.PREFIX + "/", new ApiHandler(router, tokens, guard));
    server.createContext(ApiHandler.PREFIX + "/openapi.json", files);
    server.createContext("/health", new HealthHandler(b.health()));
    if (b.metrics() != null) {
      server.createContext("/metrics", new MetricsHandler(b.metrics(), tokens, guard));
    }
    b.alertListeners().accept(events::alert);
    b.oversight().addListener(r -> events.review(r, b.oversight().confirmations()));
    b.devices().addListener(events::device);
    server.start();
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    String url =
        (config.tls() == null ? "http://" : "https://")
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + bound.getPort();
    if (config.tls() == null && !bound.getAddress().isLoopbackAddress()) {
      log.warn(
          "Operator API on {} without TLS: bearer tokens cross the network in clear text; set"
              + " http.tls or put a TLS proxy in front",
          url);
    }
    log.info("Operator API and dashboard on {}/", url);
    return new OperatorServer(server, pool, events, guard, enroller, url, router);
  }

  private static HttpsServer https(InetSocketAddress address, HttpConfig.Tls tls)
      throws IOException {
    char[] password = tls.keyStorePassword() == null ? null : tls.keyStorePassword().toCharArray();
    try {
      KeyStore ks;
      try (InputStream in = Files.newInputStream(tls.keyStore())) {
        ks = KeyStore.getInstance(tls.keyStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
        ks.load(in, password);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      HttpsServer s = HttpsServer.create(address, 64);
      s.setHttpsConfigurator(new HttpsConfigurator(ssl));
      return s;
    } catch (GeneralSecurityException e) {
      throw new EdgecamException(
          "http.tls.keyStore " + tls.keyStore() + ": unusable: " + e.getMessage(), e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8080} (the bound port when configured as 0). */
  public String url() {
    return url;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Every API route (for the OpenAPI consistency test). */
  List<Router.Route> routes() {
    return router.routes();
  }

  /** Closes the event streams, stops accepting requests and closes the enrollment pipeline. */
  @Override
  public void close() {
    events.close();
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    enroller.close();
    guard.close();
    log.info("Operator API stopped");
  }

  @Override
  public String toString() {
    return "operator API on " + url;
  }
}
