package org.bellwatch.agent.web;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a fresh socket, written byte for byte: from a chosen loopback source
 * address (127.0.0.2 is another client to the agent), with any Host header, which no client library
 * allows.
 */
final class RawHttp {
  private RawHttp() {}

  /**
   * An answer: status, every header by lower-case name (repeated ones such as Set-Cookie in order),
   * body.
   */
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.get(0);
    }

    /** The value of the cookie {@code name} this answer sets, or null. */
    String cookie(String name) {
      for (String c : headers.getOrDefault("set-cookie", List.of())) {
        if (c.startsWith(name + "=")) {
          return c.substring(name.length() + 1, c.indexOf(';'));
        }
      }
      return null;
    }
  }

  /**
   * Sends {@code method target} from {@code from} to the agent on 127.0.0.1:{@code port} with these
   * headers (Host first; Content-Length and Connection: close are added) and {@code body} (may be
   * null).
   */
  static Response send(
      String from, int port, String method, String target, Map<String, String> headers, String body)
      throws Exception {
    return send(from, port, method + " " + target + " HTTP/1.1", headers, body);
  }

  /** As above with the whole request line given (another HTTP version). */
  static Response send(
      String from, int port, String requestLine, Map<String, String> headers, String body)
      throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      s.setSoTimeout(30_000);
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder req = new StringBuilder(requestLine + "\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      // Latin-1 keeps one char per byte, so chunk sizes (in bytes) index the text; the body is
      // UTF-8.
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      Map<String, List<String>> parsed = new LinkedHashMap<>();
      for (String line : text.substring(text.indexOf("\r\n") + 2, end).split("\r\n")) {
        int colon = line.indexOf(':');
        parsed
            .computeIfAbsent(
                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
      String rest = text.substring(end + 4);
      boolean chunked = parsed.getOrDefault("transfer-encoding", List.of()).contains("chunked");
      String latin1 = chunked ? dechunk(rest) : rest;
      return new Response(
          Integer.parseInt(text.substring(9, 12)),
          parsed,
          new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
  }

  /** RFC 9112 section 7.1: hex size, CRLF, data, CRLF, until a size of 0. */
  private static String dechunk(String rest) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = rest.indexOf("\r\n", at);
      int size = Integer.parseInt(rest.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(rest, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  /**
   * A login as the console sends it (same Origin), from {@code from}, with {@code cookie} when not
   * null.
   */
  static Response login(String from, int port, String username, String password, String cookie)
      throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + port);
    h.put("Origin", "http://127.0.0.1:" + port);
    h.put("Content-Type", "application/json");
    if (cookie != null) {
      h.put("Cookie", cookie);
    }
    String body =
        ConsoleClient.MAPPER
            .createObjectNode()
            .put("username", username)
            .put("password", password)
            .toString();
    return send(from, port, "POST", "/api/v1/auth/login", h, body);
  }
}
