package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpSinkTest {

  private final HttpClient client = HttpClient.newHttpClient();

  private int post(String url, String body) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void actionRequest_isAnswered200_countedAndHandedOver() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    try (HttpSink sink =
        new HttpSink(1, (at, body) -> bodies.add(new String(body, StandardCharsets.UTF_8)))) {

      int status = post(sink.baseUrl() + "/3", "{\"pb\":\"x\"}");

      assertThat(status).isEqualTo(200);
      assertThat(sink.requests()).isEqualTo(1);
      assertThat(bodies).containsExactly("{\"pb\":\"x\"}");
      assertThat(sink.baseUrl()).startsWith("http://127.0.0.1:").endsWith(HttpSink.PATH);
    }
  }

  @Test
  void destinationConfirmation_completesTheToken_andIsNotCounted() throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    try (HttpSink sink = new HttpSink(1, (at, body) -> bodies.add(body))) {

      int status =
          post(
              sink.baseUrl() + "?confirmationToken=abc",
              "{\"arn\":\"arn:x\",\"confirmationToken\":\"abc\","
                  + "\"messageType\":\"DestinationConfirmation\"}");

      assertThat(status).isEqualTo(200);
      assertThat(sink.confirmationToken().get(5, TimeUnit.SECONDS)).isEqualTo("abc");
      assertThat(sink.requests()).isZero();
      assertThat(bodies).isEmpty();
    }
  }
}
