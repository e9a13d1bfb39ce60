package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An HTTP client of the console API that logs in like the browser does: session cookie, CSRF
 * header, Origin.
 */
final class ConsoleClient {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper MAPPER = new ObjectMapper();
  final String base;
  String cookie;
  String csrf;

  ConsoleClient(String base) {
    this.base = base;
  }

  static ConsoleClient anonymous(String base) {
    return new ConsoleClient(base);
  }

  static ConsoleClient loggedIn(String base, String username, String password) throws Exception {
    ConsoleClient c = new ConsoleClient(base);
    HttpResponse<String> r = c.login(username, password);
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "login of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    return c;
  }

  HttpResponse<String> login(String username, String password) throws Exception {
    String body =
        MAPPER.createObjectNode().put("username", username).put("password", password).toString();
    HttpResponse<String> r = send("POST", "/api/v1/auth/login", body);
    r.headers().firstValue("set-cookie").ifPresent(v -> cookie = v.substring(0, v.indexOf(';')));
    if (r.statusCode() == 200) {
      csrf = MAPPER.readTree(r.body()).get("csrf_token").asText();
    }
    return r;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return MAPPER.readTree(r.body());
  }

  /** POSTs {@code json}; the answer must be 200. */
  JsonNode postJson(String path, String json) throws Exception {
    HttpResponse<String> r = post(path, json);
    if (r.statusCode() != 200) {
      throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return MAPPER.readTree(r.body());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return send("POST", path, json);
  }

  HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (!method.equals("GET")) {
      b.header("Origin", base).header("Content-Type", "application/json");
      if (csrf != null) {
        b.header("X-CSRF-Token", csrf);
      }
    }
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
