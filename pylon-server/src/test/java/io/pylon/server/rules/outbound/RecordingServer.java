package io.pylon.server.rules.outbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A local HTTP(S) server on 127.0.0.1 that records every request and answers from a script of
 * responders (the last one repeats).
 */
final class RecordingServer implements AutoCloseable {

  /** A request as it arrived. */
  record Received(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** Answers one request; may block (each exchange has its own thread). */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange exchange, Received request) throws Exception;
  }

  static Responder status(int status) {
    return (exchange, request) -> {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    };
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Responder> script = new ConcurrentLinkedQueue<>();
  private volatile Responder last = status(200);
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  final AtomicInteger count = new AtomicInteger();

  private RecordingServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static RecordingServer http() {
    try {
      return new RecordingServer(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RecordingServer https(SSLContext context) {
    try {
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      return new RecordingServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Responders for the next requests, in order; the last one keeps answering. */
  RecordingServer answer(Responder... responders) {
    script.addAll(List.of(responders));
    last = responders[responders.length - 1];
    return this;
  }

  URI uri(String pathAndQuery) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  Received next() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived");
    }
    return r;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Received request =
          new Received(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              uri.getRawQuery() == null ? "" : uri.getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              exchange.getRequestBody().readAllBytes());
      count.incrementAndGet();
      received.add(request);
      Responder responder = script.poll();
      (responder == null ? last : responder).respond(exchange, request);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
