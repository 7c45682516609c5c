package io.pylon.server.rules.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Signer;
import io.pylon.server.rules.outbound.OutboundResult.Delivered;
import io.pylon.server.rules.outbound.OutboundResult.Failed;
import io.pylon.server.rules.outbound.OutboundResult.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Delivers rule-action HTTP requests with AWS's http-action semantics: a deadline for the whole
 * delivery, at most {@code maxAttempts} tries, retries only after 429, 5xx or a failed connect,
 * none after a response larger than {@code maxResponseBytes} or a peer that closed the connection.
 *
 * <p>Never blocks and never throws from {@link #send}: requests beyond the concurrency limit wait
 * in a bounded queue, and beyond that fail at once. Attempts run on worker threads (at most one per
 * concurrent delivery), each blocked in the JDK client's {@code send} until the response, the
 * deadline (the timer interrupts it) or {@link #close}. Not {@code sendAsync}: the JDK completes
 * its future through {@link CompletableFuture}'s default executor, which on a machine with one or
 * two cores starts a new thread for every request. Back-off is scheduled on the one timer thread,
 * which only hands work to the workers. Result futures complete on the workers' threads, so callers
 * should not block in their continuations.
 *
 * <p>Registers its meters under {@code pylon.rules.outbound.*}; create one per registry.
 */
public final class OutboundHttp implements AutoCloseable {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> CLIENT_OWNED_HEADERS =
      Set.of("host", "connection", "content-length", "expect", "upgrade");

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final OutboundSettings settings;
  private final Clock clock;
  private final HttpClient client;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor workers;
  private final SigV4Signer signer = new SigV4Signer();
  private final OutboundMetrics metrics;

  private final Object lock = new Object();
  // guarded by lock
  private final Set<Delivery> active = new LinkedHashSet<>();
  // guarded by lock
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  // guarded by lock
  private boolean closed;

  /** With the JVM's default trust store for HTTPS. */
  public OutboundHttp(OutboundSettings settings, MeterRegistry registry, Clock clock) {
    this(settings, registry, clock, null);
  }

  /**
   * @param sslContext client TLS context (see {@link OutboundTrust#defaultsPlus}); null for the JVM
   *     default
   * @param clock signing time of SigV4 requests (deadlines use the monotonic clock)
   */
  public OutboundHttp(
      OutboundSettings settings, MeterRegistry registry, Clock clock, SSLContext sslContext) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // One protocol everywhere: no h2c upgrade headers towards plain-HTTP servers.
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.requestTimeout());
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.client = builder.build();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "pylon-outbound-timer");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.timer = executor;
    // A delivery has at most one task here at a time, so this many threads never leave work
    // waiting.
    this.workers =
        new ThreadPoolExecutor(
            settings.maxConcurrentRequests(),
            settings.maxConcurrentRequests(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new ThreadFactory() {
              private final AtomicInteger count = new AtomicInteger();

              @Override
              public Thread newThread(Runnable runnable) {
                Thread thread = new Thread(runnable, "pylon-outbound-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              }
            });
    workers.allowCoreThreadTimeOut(true);
    this.metrics = new OutboundMetrics(registry, this::inFlight, this::queued);
  }

  public OutboundSettings settings() {
    return settings;
  }

  /**
   * Sends {@code request}, retrying as the settings allow. Completes exactly once; never
   * exceptionally.
   */
  public CompletionStage<OutboundResult> send(OutboundRequest request) {
    Delivery delivery;
    try {
      delivery = new Delivery(request);
      // Build once up front so that a malformed request fails before it takes a slot.
      delivery.build(settings.requestTimeout());
    } catch (RuntimeException e) {
      OutboundResult failed =
          new Failed(
              "invalid request to "
                  + (request == null ? "?" : redact(request.uri()))
                  + ": "
                  + e.getMessage(),
              Reason.INVALID_REQUEST,
              OptionalInt.empty(),
              0);
      metrics.record(failed);
      return CompletableFuture.completedFuture(failed);
    }
    boolean start = false;
    int waiting;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.completedFuture(closedFailure(delivery));
      }
      waiting = queue.size();
      if (active.size() < settings.maxConcurrentRequests()) {
        active.add(delivery);
        start = true;
      } else if (waiting < settings.maxQueuedRequests()) {
        queue.add(delivery);
        return delivery.result;
      }
    }
    if (start) {
      startLater(delivery);
      return delivery.result;
    }
    Failed dropped =
        new Failed(
            "queue full: " + waiting + " requests waiting, " + delivery.target + " not sent",
            Reason.QUEUE_FULL,
            OptionalInt.empty(),
            0);
    metrics.record(dropped);
    return CompletableFuture.completedFuture(dropped);
  }

  /** Stops: pending and queued deliveries fail with {@link Reason#CLOSED}, new ones too. */
  @Override
  public void close() {
    List<Delivery> pending;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      pending = new ArrayList<>(active);
      pending.addAll(queue);
      active.clear();
      queue.clear();
    }
    timer.shutdownNow();
    workers.shutdownNow();
    for (Delivery delivery : pending) {
      delivery.abort();
    }
  }

  private boolean stopped() {
    synchronized (lock) {
      return closed;
    }
  }

  private int inFlight() {
    synchronized (lock) {
      return active.size();
    }
  }

  private int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  private Failed closedFailure(Delivery delivery) {
    Failed failed =
        new Failed(
            "outbound HTTP stopped before " + delivery.target + " was delivered",
            Reason.CLOSED,
            OptionalInt.empty(),
            delivery.attempts);
    metrics.record(failed);
    return failed;
  }

  /** Frees the delivery's slot and starts the next queued one. */
  private void release(Delivery delivery) {
    Delivery next;
    synchronized (lock) {
      if (!active.remove(delivery) || closed) {
        return;
      }
      next = queue.poll();
      if (next != null) {
        active.add(next);
      }
    }
    if (next != null) {
      // On a worker, not inline: a run of queued deliveries failing at once must not recurse.
      startLater(next);
    }
  }

  private void startLater(Delivery delivery) {
    try {
      workers.execute(delivery::start);
    } catch (RejectedExecutionException stopped) {
      delivery.abort(); // closed meanwhile
    }
  }

  /** Runs {@code task} on a worker after {@code delayNanos}; null once closed. */
  private Future<?> later(Runnable task, long delayNanos) {
    try {
      return timer.schedule(
          () -> {
            try {
              workers.execute(task);
            } catch (RejectedExecutionException stopped) {
              // close() completes the delivery
            }
          },
          delayNanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopped) {
      return null;
    }
  }

  /**
   * The URI as it may appear in an error message: without user info and query, which can carry
   * credentials (API keys in query strings are common for webhooks).
   */
  static String redact(URI uri) {
    if (uri == null) {
      return "?";
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return "<not an absolute URL>";
    }
    StringBuilder s = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() != -1) {
      s.append(':').append(uri.getPort());
    }
    return s.append(uri.getRawPath() == null ? "" : uri.getRawPath()).toString();
  }

  /**
   * The Host header the JDK client sends (the port only when it is not the scheme's default), which
   * is what SigV4 must sign.
   */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean defaultPort =
        port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
    return defaultPort ? uri.getHost() : uri.getHost() + ':' + port;
  }

  private static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static String attempts(int n) {
    return n == 1 ? "1 attempt" : n + " attempts";
  }

  /** One request from arrival to its single result. */
  private final class Delivery {
    final OutboundRequest request;
    final String target;
    final List<Map.Entry<String, String>> headers;
    final String payloadSha256;
    final CompletableFuture<OutboundResult> result = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private long deadlineNanos;
    // Written by one thread at a time (each step is scheduled by the previous one), read by the
    // timer for messages.
    private volatile int attempts;
    // A scheduled retry, cancelled by abort().
    private volatile Future<?> inFlight;
    // The worker blocked in an attempt's send, interrupted on timeout and by abort(); guarded by
    // this.
    private Thread sender;

    Delivery(OutboundRequest request) {
      Objects.requireNonNull(request, "request");
      this.request = request;
      this.target = redact(request.uri());
      URI uri = request.uri();
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("only http and https URLs are supported");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("the URL has no host");
      }
      List<Map.Entry<String, String>> kept = new ArrayList<>();
      boolean hasContentType = false;
      for (Map.Entry<String, String> header : request.headers()) {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        if (CLIENT_OWNED_HEADERS.contains(name)) {
          continue;
        }
        hasContentType |= name.equals("content-type");
        kept.add(Map.entry(header.getKey(), header.getValue()));
      }
      if (!hasContentType && request.body().length > 0) {
        kept.add(Map.entry("Content-Type", DEFAULT_CONTENT_TYPE));
      }
      this.headers = List.copyOf(kept);
      this.payloadSha256 =
          request.signing().map(SigV4Signing::service).filter("s3"::equals).isPresent()
              ? sha256Hex(request.body())
              : null;
    }

    /** The HTTP request for one attempt, signed afresh (as SDKs re-sign retries). */
    HttpRequest build(Duration timeout) {
      URI uri = request.uri();
      byte[] body = request.body();
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .method(
                  request.method(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      List<Map.Entry<String, String>> toSend = headers;
      if (request.signing().isPresent()) {
        SigV4Signing signing = request.signing().get();
        SigV4Headers.Builder signed = SigV4Headers.builder();
        headers.forEach(h -> signed.add(h.getKey(), h.getValue()));
        // Like botocore: sign the Host the client will send; state the payload hash only for S3,
        // the one service that requires the header.
        signed.set("host", hostHeader(uri));
        if (signing.service().equals("s3")) {
          signed.set("x-amz-content-sha256", payloadSha256);
        }
        String rawPath =
            uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        toSend =
            signer
                .sign(
                    request.method(),
                    rawPath,
                    uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                    signed.build(),
                    body,
                    signing.credentials(),
                    signing.region(),
                    signing.service(),
                    clock.instant())
                .headers()
                .entries();
      }
      for (Map.Entry<String, String> header : toSend) {
        if (!header.getKey().equalsIgnoreCase("host")) {
          builder.header(header.getKey(), header.getValue());
        }
      }
      return builder.build();
    }

    void start() {
      deadlineNanos = System.nanoTime() + settings.requestTimeout().toNanos();
      attempt();
    }

    private void attempt() {
      if (done.get()) {
        return;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        finish(timedOut());
        return;
      }
      HttpRequest http;
      try {
        http = build(Duration.ofNanos(remaining));
      } catch (RuntimeException e) {
        finish(
            failed(
                "invalid request to " + target + ": " + e.getMessage(),
                Reason.INVALID_REQUEST,
                null));
        return;
      }
      attempts++;
      metrics.sent.increment();
      if (attempts > 1) {
        metrics.retried.increment();
      }
      // Timer thread: only interrupts the blocked send below, never runs continuations itself.
      Future<?> timeout;
      try {
        timeout = timer.schedule(this::interruptSender, remaining, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopped) {
        return; // close() completes this delivery
      }
      HttpResponse<CappedBody.Size> response = null;
      Throwable error = null;
      synchronized (this) {
        sender = Thread.currentThread();
      }
      try {
        // Blocking, on this worker (one per concurrent delivery). Not sendAsync: the JDK client
        // completes sendAsync's future through CompletableFuture's default executor, which on a
        // machine with one or two cores starts a new thread for every request.
        response = client.send(http, CappedBody.handler(settings.maxResponseBytes()));
      } catch (InterruptedException e) {
        error = e;
      } catch (IOException | RuntimeException e) {
        error = e;
      } finally {
        synchronized (this) {
          sender = null;
        }
        // An interrupt that raced the response must not leak into the rest of this task.
        Thread.interrupted();
      }
      timeout.cancel(false);
      if (error instanceof InterruptedException) {
        if (!stopped()) {
          finish(timedOut());
        } // else close() interrupted it and completes the delivery as closed
      } else if (error != null) {
        onError(error);
      } else {
        onResponse(response);
      }
    }

    /** Ends a blocked send: its deadline passed, or the client closed. */
    private synchronized void interruptSender() {
      if (sender != null) {
        sender.interrupt();
      }
    }

    private Failed timedOut() {
      return failed(
          "timed out after "
              + settings.requestTimeout().toMillis()
              + " ms waiting for "
              + target
              + " ("
              + attempts(attempts)
              + ")",
          Reason.TIMEOUT,
          null);
    }

    private void onResponse(HttpResponse<CappedBody.Size> response) {
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        finish(new Delivered(status, attempts));
        return;
      }
      String errorType =
          response
              .headers()
              .firstValue("x-amzn-ErrorType")
              .map(t -> " (" + t.split(":", 2)[0] + ")")
              .orElse("");
      String message = "HTTP " + status + errorType + " from " + target;
      boolean retryable = status == 429 || (status >= 500 && status <= 599);
      if (!retryable || attempts >= settings.maxAttempts()) {
        finish(failed(message + " after " + attempts(attempts), Reason.HTTP_STATUS, status));
      } else if (response.body().oversized()) {
        finish(
            failed(
                message
                    + " after "
                    + attempts(attempts)
                    + "; not retried: response larger than "
                    + settings.maxResponseBytes()
                    + " bytes",
                Reason.HTTP_STATUS,
                status));
      } else if (response
          .headers()
          .firstValue("connection")
          .map(v -> v.equalsIgnoreCase("close"))
          .orElse(false)) {
        finish(
            failed(
                message
                    + " after "
                    + attempts(attempts)
                    + "; not retried: the server closed the connection",
                Reason.HTTP_STATUS,
                status));
      } else {
        retryLater(message, status);
      }
    }

    private void onError(Throwable error) {
      Throwable cause = error;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof HttpTimeoutException) {
        finish(timedOut());
      } else if (cause instanceof ConnectException) {
        // Nothing reached the peer, so trying again cannot duplicate a message.
        String message = "cannot connect to " + target + ": " + describe(cause);
        if (attempts >= settings.maxAttempts()) {
          finish(failed(message + " after " + attempts(attempts), Reason.CONNECTION, null));
        } else {
          retryLater(message, null);
        }
      } else if (cause instanceof SSLException) {
        finish(
            failed(
                "TLS handshake with " + target + " failed: " + describe(cause), Reason.TLS, null));
      } else if (cause instanceof IOException) {
        // AWS does not retry once the peer closed or reset the connection.
        finish(
            failed(
                "connection to " + target + " failed: " + describe(cause) + "; not retried",
                Reason.CONNECTION,
                null));
      } else {
        finish(
            failed(
                "sending to " + target + " failed: " + describe(cause), Reason.CONNECTION, null));
      }
    }

    private void retryLater(String message, Integer status) {
      long base = settings.firstBackoff().toNanos() << Math.min(attempts - 1, 20);
      // Half fixed, half random: spreads retries of many rules hitting one endpoint.
      long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
      if (System.nanoTime() + delay >= deadlineNanos) {
        finish(
            failed(
                message
                    + " after "
                    + attempts(attempts)
                    + "; no retry: it would end after the "
                    + settings.requestTimeout().toMillis()
                    + " ms request timeout",
                status == null ? Reason.CONNECTION : Reason.HTTP_STATUS,
                status));
        return;
      }
      inFlight = later(this::attempt, delay); // null once closed: close() completes this delivery
    }

    private Failed failed(String message, Reason reason, Integer status) {
      return new Failed(
          message, reason, status == null ? OptionalInt.empty() : OptionalInt.of(status), attempts);
    }

    /** Completes once; the first outcome wins (a late response after a timeout is ignored). */
    private boolean finish(OutboundResult outcome) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      metrics.record(outcome);
      release(this);
      result.complete(outcome);
      return true;
    }

    void abort() {
      if (done.compareAndSet(false, true)) {
        Future<?> pending = inFlight;
        if (pending != null) {
          pending.cancel(true);
        }
        interruptSender();
        result.complete(closedFailure(this));
      }
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String type = t.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return type;
    }
    return message.length() > 200
        ? message.substring(0, 200) + "..."
        : message.replace('\n', ' ').replace('\r', ' ');
  }
}
