package org.bellwatch.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.web.Passwords;

/**
 * For tests that read the API of a running agent: an admin account written before start, and its
 * login.
 */
public final class ApiSession {
  public static final String ADMIN = "testadmin";
  public static final String PASSWORD = "correct horse battery";

  private ApiSession() {}

  /**
   * Writes the test admin into the store (before the agent opens it); hashed cheaply, as tests may.
   */
  public static void createAdmin(Path storeDir, ZoneId zone) throws Exception {
    try (EventStore store = EventStore.open(storeDir, zone, false)) {
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      store
          .console()
          .accounts()
          .put(
              new Account(
                  ADMIN, "admin", Passwords.hash(PASSWORD.toCharArray(), 1000), false, t, t));
    }
  }

  /** Logs the test admin in; returns the value for a Cookie header. */
  public static String login(String base) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Origin", base)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new ObjectMapper()
                                .createObjectNode()
                                .put("username", ADMIN)
                                .put("password", PASSWORD)
                                .toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("login answered " + r.statusCode() + ": " + r.body());
    }
    String cookie = r.headers().firstValue("set-cookie").orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }
}
