package io.pylon.server.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.DestinationConfirmations;
import io.pylon.domain.rules.TopicRuleDestination;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the confirmation request of a topic rule destination as AWS IoT does: {@code POST
 * <confirmationUrl>?confirmationToken=<token>} with headers {@code x-amz-rules-engine-message-type:
 * DestinationConfirmation} and {@code x-amz-rules-engine-destination-arn}, and the JSON body {@code
 * {"arn", "confirmationToken", "enableUrl", "messageType": "DestinationConfirmation"}}.
 *
 * <p>Requests go out on a small pool of its own with a bounded queue, so the API thread that
 * created the destination never waits for the endpoint; each has {@value #TIMEOUT_SECONDS} seconds
 * to connect and answer (the rules engine's HTTP timeout). The answer does not matter, as in AWS:
 * the owner confirms by passing the token back. A request that fails or does not fit in the queue
 * is logged; UpdateTopicRuleDestination to {@code IN_PROGRESS} sends a new one.
 */
public final class HttpDestinationConfirmations implements DestinationConfirmations, AutoCloseable {

  static final int TIMEOUT_SECONDS = 3;
  private static final int THREADS = 2;
  private static final int QUEUE = 256;
  private static final Logger log = LoggerFactory.getLogger(HttpDestinationConfirmations.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ThreadPoolExecutor executor;
  private final HttpClient client;

  public HttpDestinationConfirmations() {
    executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "pylon-rule-destination-confirm");
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    // The client keeps the JDK's own executor for its internals: with this pool's threads all
    // blocked in send(), sharing it could starve them.
    client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void send(TopicRuleDestination destination, String confirmationToken, String enableUrl) {
    HttpRequest request;
    try {
      request = request(destination, confirmationToken, enableUrl);
    } catch (IllegalArgumentException e) {
      log.warn(
          "Cannot send the confirmation of {}: {} is not a usable URL",
          destination.arn(),
          destination.confirmationUrl());
      return;
    }
    try {
      executor.execute(() -> post(destination, request));
    } catch (RejectedExecutionException e) {
      log.warn(
          "Dropped the confirmation of {}: too many confirmations are waiting to go out;"
              + " set its status to IN_PROGRESS to send it again",
          destination.arn());
    }
  }

  static HttpRequest request(
      TopicRuleDestination destination, String confirmationToken, String enableUrl) {
    ObjectNode body = JSON.createObjectNode();
    body.put("arn", destination.arn());
    body.put("confirmationToken", confirmationToken);
    body.put("enableUrl", enableUrl);
    body.put("messageType", "DestinationConfirmation");
    String url = destination.confirmationUrl();
    String target =
        url
            + (url.contains("?") ? "&" : "?")
            + "confirmationToken="
            + URLEncoder.encode(confirmationToken, StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(URI.create(target))
        .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
        .header("Content-Type", "application/json")
        .header("x-amz-rules-engine-message-type", "DestinationConfirmation")
        .header("x-amz-rules-engine-destination-arn", destination.arn())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
  }

  private void post(TopicRuleDestination destination, HttpRequest request) {
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      log.info(
          "Sent the confirmation of {} to {}: HTTP {}",
          destination.arn(),
          destination.confirmationUrl(),
          response.statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn(
          "Could not send the confirmation of {} to {}: {}",
          destination.arn(),
          destination.confirmationUrl(),
          e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
