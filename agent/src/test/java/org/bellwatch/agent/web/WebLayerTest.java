package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web layer alone (issue 19): its routes over in-memory accounts, sessions, reviews, audit and
 * block events, with no store and no pipeline behind them ({@link WebLayer}).
 */
class WebLayerTest {
  static final ObjectMapper mapper = new ObjectMapper();
  static final Instant T = Instant.parse("2026-09-15T19:01:00Z");
  @TempDir Path dir;
  final SteppedClock clock = new SteppedClock(T);
  final AtomicReference<WebServer.Health> health =
      new AtomicReference<>(new WebServer.Health("running", true, null));
  WebLayer web;

  @BeforeEach
  void start() throws Exception {
    BellwatchConfig cfg = WebLayer.testSchool(dir);
    web = WebLayer.start(cfg, SiteModel.load(null, cfg.site().timezone()), clock, health::get);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  static BlockEvent block(String time, String domain, boolean instructional) {
    return new BlockEvent(
        Instant.parse(time),
        "10.0.0.5",
        "aa:bb:cc:dd:ee:ff",
        "RM101-CB01",
        "alice",
        domain,
        null,
        "games",
        "squid",
        "proxy-deny",
        "RM101",
        null,
        null,
        null,
        "1",
        instructional,
        List.of("squid: TCP_DENIED/403", "room: host name"));
  }

  @Test
  void blocksAreTheQueriedEventsWholeNewestFirstWithTheirEvidence() throws Exception {
    web.add(
        List.of(
            block("2026-09-15T15:10:00Z", "games.example.com", true),
            block("2026-09-15T19:30:00Z", "chat.example.net", false)));
    ConsoleClient admin = ConsoleClient.loggedIn(web.base(), "admin1", TestAccounts.PASSWORD);

    JsonNode body = admin.getJson("/api/v1/blocks");
    JsonNode during = admin.getJson("/api/v1/blocks?instructional=true");

    assertThat(body.get("total").asInt()).isEqualTo(2);
    assertThat(body.get("blocks").findValuesAsText("domain"))
        .containsExactly("chat.example.net", "games.example.com");
    JsonNode first = body.get("blocks").get(0);
    assertThat(first.get("time").asText()).isEqualTo("2026-09-15T19:30:00.000Z");
    assertThat(first.get("user").asText()).isEqualTo("alice");
    assertThat(first.get("evidence"))
        .extracting(JsonNode::asText)
        .containsExactly("squid: TCP_DENIED/403", "room: host name");
    assertThat(during.get("blocks").findValuesAsText("domain"))
        .containsExactly("games.example.com");
  }

  @Test
  void aRequestAndItsDecisionAreKeptEachWithItsAuditEntry() throws Exception {
    ConsoleClient coordinator =
        ConsoleClient.loggedIn(web.base(), "coordinator1", TestAccounts.PASSWORD);
    ConsoleClient admin = ConsoleClient.loggedIn(web.base(), "admin1", TestAccounts.PASSWORD);

    coordinator.postJson(
        "/api/v1/reviews/video.example.org/request", "{\"reason\":\"Biology watches it\"}");
    JsonNode decided =
        admin.postJson(
            "/api/v1/reviews/video.example.org/decision",
            "{\"decision\":\"kept_blocked\",\"reason\":\"comments are unfiltered\"}");

    assertThat(decided.get("status").asText()).isEqualTo("kept_blocked");
    assertThat(web.reviews.get("video.example.org").map(Review::status)).contains("kept_blocked");
    assertThat(web.audit.newest(2))
        .containsExactly(
            new AuditEntry(
                T, "admin1", "review_decided", "video.example.org", "127.0.0.1", "kept_blocked"),
            new AuditEntry(
                T, "coordinator1", "review_requested", "video.example.org", "127.0.0.1", null));
  }

  @Test
  void healthIs503WhileThePipelineIsDownAndNamesTheFailingSource() throws Exception {
    health.set(
        new WebServer.Health(
            "stopped",
            false,
            null,
            List.of(new WebServer.Source("store", "failing", null, null, "disk full"))));

    HttpResponse<String> r = ConsoleClient.anonymous(web.base()).get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(mapper.readTree(r.body()))
        .isEqualTo(
            mapper.readTree(
                """
        {"status":"unavailable","pipeline":"stopped","schedule":"ok","failing":["store"],
         "sources":[{"name":"store","state":"failing","last_seen":null,"silent_since":null,"error":"disk full"}]}"""));
  }

  @Test
  void whatTheAgentKeepsBeingUnreadableIsA503WithAJsonErrorAndNoDetail() throws Exception {
    web.accounts.becomeUnavailable("the disk went away");

    HttpResponse<String> r =
        ConsoleClient.anonymous(web.base()).login("admin1", TestAccounts.PASSWORD);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Security-Policy")).contains(WebServer.CSP);
    assertThat(mapper.readTree(r.body()))
        .isEqualTo(mapper.readTree("{\"error\":\"the event store is unavailable\"}"));
  }
}
