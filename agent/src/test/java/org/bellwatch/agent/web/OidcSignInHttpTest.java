package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on through the agent's HTTP routes against a local OpenID provider ({@link
 * TestOpenIdProvider}): login redirect, the provider's code, the callback, the session; and every
 * token or callback the console must refuse.
 */
class OidcSignInHttpTest {
  @TempDir static Path dir;
  static Agent agent;
  static TestOpenIdProvider provider;
  static final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
  static final ObjectMapper mapper = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static String base;

  @BeforeAll
  static void start() throws Exception {
    provider = new TestOpenIdProvider(clock);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    SiteFolder.write(dir);
    SiteFolder.write(dir.resolve("client-secret"), TestOpenIdProvider.CLIENT_SECRET + "\n");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        store: {dir: store}
        web: {port: %d}
        auth:
          pbkdf2_iterations: 1000
          oidc:
            issuer: %s
            client_id: %s
            client_secret_file: client-secret
            redirect_url: %s/api/v1/auth/oidc/callback
            allowed_email_domains: [school.example]
            default_role: viewer
            admin_groups: [bw-admins]
            teacher_groups: [teachers]
            viewer_groups: [staff]
        """
            .formatted(port, provider.issuer(), TestOpenIdProvider.CLIENT_ID, base));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Instant created = Instant.parse("2026-01-01T00:00:00Z");
      store
          .console()
          .accounts()
          .put(
              new Account(
                  "head@school.example",
                  "coordinator",
                  OidcApi.NO_PASSWORD,
                  false,
                  created,
                  created));
      store
          .console()
          .accounts()
          .put(
              new Account(
                  "gone@school.example", "admin", OidcApi.NO_PASSWORD, true, created, created));
    }
    agent = Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock);
  }

  @AfterAll
  static void stop() {
    agent.close();
    provider.close();
  }

  @AfterEach
  void resetProvider() {
    provider.user = "teacher@school.example";
    provider.groups = List.of();
    provider.tamper = c -> {};
    provider.signWithOtherKey = false;
  }

  /**
   * One sign-in as far as the callback: the callback's answer, its URL and the browser's login
   * cookie.
   */
  record SignIn(HttpResponse<String> callback, String callbackUrl, String browserCookie) {}

  static HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static SignIn signIn() throws Exception {
    HttpResponse<String> start = get(base + "/api/v1/auth/oidc/login", null);
    assertThat(start.statusCode()).isEqualTo(302);
    String setCookie = start.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie)
        .matches(
            "bw_oidc=[A-Za-z0-9_-]{43}; Path=/api/v1/auth/oidc; Max-Age=600; HttpOnly; SameSite=Lax");
    String browser = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> authorize =
        get(start.headers().firstValue("location").orElseThrow(), null);
    assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(302);
    String callback = authorize.headers().firstValue("location").orElseThrow();
    return new SignIn(get(callback, browser), callback, browser);
  }

  static String sessionCookie(HttpResponse<String> callback) {
    return callback.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith("bw_session="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow();
  }

  static JsonNode session(HttpResponse<String> callback) throws Exception {
    HttpResponse<String> s = get(base + "/api/v1/auth/session", sessionCookie(callback));
    assertThat(s.statusCode()).isEqualTo(200);
    return mapper.readTree(s.body());
  }

  static String error(Consumer<ObjectNode> tamper) throws Exception {
    provider.tamper = tamper;
    HttpResponse<String> r = signIn().callback();
    return r.statusCode() + " " + mapper.readTree(r.body()).get("error").asText();
  }

  @Test
  void theLoginRedirectCarriesStateNonceAndAnS256PkceChallenge() throws Exception {
    HttpResponse<String> start = get(base + "/api/v1/auth/oidc/login", null);
    URI to = URI.create(start.headers().firstValue("location").orElseThrow());
    Map<String, String> q = TestOpenIdProvider.form(to.getRawQuery());
    assertThat(provider.issuer() + "/authorize")
        .isEqualTo(to.getScheme() + "://" + to.getAuthority() + to.getPath());
    assertThat(q.keySet())
        .containsExactlyInAnyOrder(
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "nonce",
            "code_challenge",
            "code_challenge_method");
    assertThat(
            List.of(
                q.get("response_type"),
                q.get("client_id"),
                q.get("redirect_uri"),
                q.get("scope"),
                q.get("code_challenge_method")))
        .containsExactly(
            "code",
            TestOpenIdProvider.CLIENT_ID,
            base + "/api/v1/auth/oidc/callback",
            "openid email profile",
            "S256");
    assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");
    assertThat(q.get("nonce")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(q.get("state"));
    assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void aNewTeacherOfTheSchoolSignsInAndGetsTheDefaultRoleInASessionCookie() throws Exception {
    HttpResponse<String> callback = signIn().callback();
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    assertThat(callback.headers().firstValue("location")).hasValue("/");
    assertThat(callback.headers().allValues("set-cookie"))
        .anyMatch(
            c ->
                c.matches(
                    "bw_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict"));
    JsonNode s = session(callback);
    assertThat(List.of(s.get("username").asText(), s.get("role").asText()))
        .containsExactly("teacher@school.example", "viewer");
    // No password opens that account.
    assertThat(
            ConsoleClient.anonymous(base)
                .login("teacher@school.example", OidcApi.NO_PASSWORD)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aMemberOfTheAdminGroupBecomesAnAdminAndAnExistingAccountKeepsItsRole() throws Exception {
    provider.user = "it.lead@school.example";
    provider.groups = List.of("staff", "bw-admins");
    assertThat(session(signIn().callback()).get("role").asText()).isEqualTo("admin");
    provider.user = "head@school.example";
    provider.groups = List.of("bw-admins");
    assertThat(session(signIn().callback()).get("role").asText()).isEqualTo("coordinator");
  }

  @Test
  void aMemberOfTheTeacherGroupBecomesATeacherOfTheSectionsTheRosterGivesItsAddress()
      throws Exception {
    provider.user = "arivera@school.example";
    provider.groups = List.of("staff", "teachers");
    JsonNode s = session(signIn().callback());
    assertThat(
            List.of(
                s.get("role").asText(),
                s.get("display_name").asText(),
                s.get("sections").toString()))
        .containsExactly("teacher", "Ana Rivera", "[\"cls-alg\",\"cls-art\"]");
  }

  @Test
  void tokensOfAnotherIssuerOrAudienceExpiredOrBadlySignedAreRefused() throws Exception {
    long now = clock.instant().getEpochSecond();
    assertThat(error(c -> c.put("iss", "https://evil.example")))
        .isEqualTo("401 single sign-on: the ID token is not valid: JWT iss claim value rejected");
    assertThat(error(c -> c.put("aud", "another-app")))
        .isEqualTo("401 single sign-on: the ID token is not valid: JWT aud claim rejected");
    assertThat(error(c -> c.putArray("aud").add(TestOpenIdProvider.CLIENT_ID).add("another-app")))
        .isEqualTo(
            "401 single sign-on: the ID token is not valid: JWT azp claim is not this console's client id");
    assertThat(error(c -> c.put("exp", now - 61)))
        .isEqualTo("401 single sign-on: the ID token is not valid: Expired JWT");
    assertThat(error(c -> c.put("nonce", "from-another-login")))
        .isEqualTo("401 single sign-on: the ID token is not valid: JWT nonce claim value rejected");
    provider.signWithOtherKey = true;
    assertThat(error(c -> {}))
        .isEqualTo(
            "401 single sign-on: the ID token is not valid: Signed JWT rejected: Invalid signature");
  }

  @Test
  void anAddressVerifiedAsTheTextTrueAndAGroupsClaimOfOneStringAreReadLikeTheirJsonTypes()
      throws Exception {
    provider.user = "art.lead@school.example";
    provider.tamper = c -> c.put("email_verified", "true").put("groups", "bw-admins");
    JsonNode s = session(signIn().callback());
    assertThat(List.of(s.get("username").asText(), s.get("role").asText()))
        .containsExactly("art.lead@school.example", "admin");
  }

  @Test
  void addressesOfOtherDomainsUnverifiedAddressesAndDisabledAccountsAreRefused() throws Exception {
    provider.user = "someone@other.example";
    assertThat(error(c -> {}))
        .isEqualTo("403 single sign-on: accounts of other.example may not use this console");
    provider.user = "teacher@school.example";
    assertThat(error(c -> c.put("email_verified", false)))
        .isEqualTo("403 single sign-on: the provider gave no verified e-mail address");
    provider.user = "gone@school.example";
    assertThat(error(c -> {}))
        .isEqualTo("403 single sign-on: the account gone@school.example is disabled");
  }

  @Test
  void aStateWorksOnceAndOnlyInTheBrowserThatStartedTheLogin() throws Exception {
    SignIn first = signIn();
    assertThat(first.callback().statusCode()).isEqualTo(302);
    HttpResponse<String> replay = get(first.callbackUrl(), first.browserCookie());
    assertThat(replay.statusCode() + " " + mapper.readTree(replay.body()).get("error").asText())
        .isEqualTo("400 single sign-on: unknown, used or expired state; start the login again");

    HttpResponse<String> start = get(base + "/api/v1/auth/oidc/login", null);
    String callback =
        get(start.headers().firstValue("location").orElseThrow(), null)
            .headers()
            .firstValue("location")
            .orElseThrow();
    HttpResponse<String> otherBrowser = get(callback, "bw_oidc=the-victims-browser");
    assertThat(
            otherBrowser.statusCode()
                + " "
                + mapper.readTree(otherBrowser.body()).get("error").asText())
        .isEqualTo("400 single sign-on: this login was started in another browser; start it again");
    assertThat(otherBrowser.headers().allValues("set-cookie"))
        .noneMatch(c -> c.startsWith("bw_session="));
  }

  @Test
  void aBrowserRefusedAtTheCallbackGoesBackToTheLoginPageWithTheReason() throws Exception {
    provider.user = "someone@other.example";
    HttpResponse<String> start = get(base + "/api/v1/auth/oidc/login", null);
    String browser = start.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String callback =
        get(start.headers().firstValue("location").orElseThrow(), null)
            .headers()
            .firstValue("location")
            .orElseThrow();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(callback))
                .header("Cookie", browser)
                .header("Accept", "text/html,application/xhtml+xml")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("location"))
        .hasValue(
            "/#sso-error=single%20sign-on%3A%20accounts%20of%20other.example%20may%20not%20use%20this%20console");
  }

  @Test
  void aPendingLoginExpiresAfterTenMinutes() throws Exception {
    HttpResponse<String> start = get(base + "/api/v1/auth/oidc/login", null);
    String browser = start.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String callback =
        get(start.headers().firstValue("location").orElseThrow(), null)
            .headers()
            .firstValue("location")
            .orElseThrow();
    clock.step(Duration.ofMinutes(11));
    assertThat(get(callback, browser).statusCode()).isEqualTo(400);
  }

  @Test
  void theLoginPageLearnsThatSingleSignOnIsOn() throws Exception {
    assertThat(mapper.readTree(get(base + "/api/v1/auth/methods", null).body()))
        .isEqualTo(
            mapper.readTree(
                "{\"password\":true,\"oidc\":true,\"oidc_label\":\"Sign in with your school account\"}"));
  }
}
