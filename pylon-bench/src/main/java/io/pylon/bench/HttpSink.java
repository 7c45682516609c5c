package io.pylon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The local endpoint of the rules scenario's HTTP actions: a JDK HTTP server on 127.0.0.1 that
 * answers every POST under {@code /sink} with an empty 200 at once and hands its body to a {@link
 * Listener}. A POST carrying {@code ?confirmationToken=} is the server's topic rule destination
 * confirmation; its token completes {@link #confirmationToken()} instead.
 */
final class HttpSink implements AutoCloseable {

  static final String PATH = "/sink";

  /** Called on a sink thread for every action request, with the time it was read. */
  interface Listener {
    void onRequest(long receivedNanos, byte[] body);
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Listener listener;
  private final LongAdder requests = new LongAdder();
  private final CompletableFuture<String> confirmationToken = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param threads threads answering requests; the sink shares the machine with the server
   */
  HttpSink(int threads, Listener listener) throws IOException {
    this.listener = listener;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "bench-sink-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext(PATH, this::handle);
    server.setExecutor(this.threads);
    server.start();
  }

  /** The URL that destinations confirm at and HTTP actions post under. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** Action requests received so far (confirmations not counted). */
  long requests() {
    return requests.sum();
  }

  CompletableFuture<String> confirmationToken() {
    return confirmationToken;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      long now = System.nanoTime();
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null && query.contains("confirmationToken=")) {
        confirmed(body);
      } else {
        requests.increment();
        listener.onRequest(now, body);
      }
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private void confirmed(byte[] body) {
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      String token = json.path("confirmationToken").asText("");
      if (!token.isEmpty()) {
        confirmationToken.complete(token);
      }
    } catch (IOException e) {
      confirmationToken.completeExceptionally(
          new IOException("destination confirmation without a JSON body: " + e.getMessage(), e));
    }
  }

  /** Stops accepting and waits for the answering threads, so their counters are final. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
