package io.pylon.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 written by hand over a TLS socket, for requests the JDK's HttpClient refuses to send (a
 * WebSocket upgrade) and for seeing the response exactly as the server wrote it.
 */
public final class RawHttp {

  private RawHttp() {}

  /** A response: status code, headers (names lower-cased), body. */
  public record Response(int status, String statusLine, Map<String, String> headers, String body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * A WebSocket upgrade request for MQTT ({@code Sec-WebSocket-Protocol: mqtt}) to {@code
   * pathAndQuery}.
   */
  public static String webSocketUpgrade(String host, int port, String pathAndQuery) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return "GET "
        + pathAndQuery
        + " HTTP/1.1\r\n"
        + "Host: "
        + host
        + ":"
        + port
        + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key)
        + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: mqtt\r\n"
        + "\r\n";
  }

  /**
   * Sends {@code request} and reads the response head and, if it has a Content-Length, its body.
   */
  public static Response exchange(SSLSocket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    String statusLine = lines[0];
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    String body = "";
    String length = headers.get("content-length");
    if (length != null) {
      byte[] bytes = in.readNBytes(Integer.parseInt(length));
      body = new String(bytes, StandardCharsets.UTF_8);
    }
    return new Response(status, statusLine, headers, body);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside the response head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, text.length() - 4);
  }
}
