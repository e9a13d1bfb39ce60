package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bellwatch.agent.config.Oidc;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The known attacks on ID tokens, each against the console's check ({@link OidcProvider#verify})
 * with a real provider on loopback ({@link TestOpenIdProvider}: discovery and JWKS over HTTP,
 * tokens signed with the JDK). Every test starts with a new {@link OidcProvider}, so nothing is
 * cached and JWKS fetches can be counted.
 */
class IdTokenAttacksTest {
  static final String NONCE = "nonce-of-this-login";
  static final String NOT_VALID = "401 single sign-on: the ID token is not valid: ";
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
  static TestOpenIdProvider provider;
  OidcProvider console;
  long now;

  @BeforeAll
  static void startProvider() throws Exception {
    provider = new TestOpenIdProvider(clock);
  }

  @AfterAll
  static void stopProvider() {
    provider.close();
  }

  @BeforeEach
  void newConsole() {
    provider.signWithOtherKey = false;
    provider.jwksStatus = 200;
    console =
        new OidcProvider(
            new Oidc(
                java.net.URI.create(provider.issuer()),
                TestOpenIdProvider.CLIENT_ID,
                Path.of("client-secret"),
                java.net.URI.create("http://127.0.0.1:1/api/v1/auth/oidc/callback"),
                List.of(),
                "none",
                "groups",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "Sign in"),
            MAPPER,
            clock);
    now = clock.instant().getEpochSecond();
  }

  /** "accepted" or the refusal's status and message. */
  String outcome(String idToken) {
    try {
      console.verify(idToken, NONCE);
      return "accepted";
    } catch (ApiException e) {
      return e.status() + " " + e.getMessage();
    }
  }

  String token(Consumer<ObjectNode> change) throws Exception {
    ObjectNode claims = provider.claims("teacher@school.example", NONCE);
    change.accept(claims);
    return provider.sign(claims);
  }

  static String unsigned(ObjectNode header, ObjectNode claims) {
    return TestOpenIdProvider.b64(header.toString().getBytes(StandardCharsets.UTF_8))
        + "."
        + TestOpenIdProvider.b64(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  @Test
  void aTokenSignedByThePublishedKeyWithEveryClaimRightIsAcceptedWithAllItsClaims()
      throws Exception {
    ObjectNode claims = provider.claims("teacher@school.example", NONCE);
    assertThat(MAPPER.readTree(console.verify(provider.sign(claims), NONCE).toString()))
        .isEqualTo(MAPPER.readTree(claims.toString()));
  }

  @Test
  void anHs256TokenKeyedWithTheProvidersRsaPublicKeyIsRejected() throws Exception {
    // Algorithm confusion: a verifier that lets the token pick the algorithm would take the public
    // key,
    // which anyone can read from the JWKS, as the HMAC secret. Every form of that key is tried.
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(provider.publicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    List<byte[]> secrets =
        List.of(
            provider.publicKey().getEncoded(),
            pem.getBytes(StandardCharsets.US_ASCII),
            provider.publicKey().getModulus().toByteArray());
    ObjectNode header = TestOpenIdProvider.header("HS256", "k1");
    List<String> outcomes = new ArrayList<>();
    for (byte[] secret : secrets) {
      String input = unsigned(header, provider.claims("teacher@school.example", NONCE));
      input = input.substring(0, input.length() - 1);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      outcomes.add(
          outcome(
              input
                  + "."
                  + TestOpenIdProvider.b64(
                      mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)))));
    }
    assertThat(outcomes)
        .containsOnly(
            NOT_VALID
                + "Signed JWT rejected: Another algorithm expected, or no matching key(s) found");
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRejectedHoweverItIsSpelled() throws Exception {
    ObjectNode claims = provider.claims("teacher@school.example", NONCE);
    String none = unsigned(MAPPER.createObjectNode().put("alg", "none"), claims);
    assertThat(
            List.of(
                outcome(none),
                outcome(none + "c2ln"),
                outcome(
                    unsigned(
                        MAPPER.createObjectNode().put("alg", "None").put("kid", "k1"), claims)),
                outcome(unsigned(MAPPER.createObjectNode().put("alg", "NONE"), claims))))
        .containsExactly(
            NOT_VALID + "Unsecured (plain) JWTs are rejected, extend class to handle",
            NOT_VALID + "not a JWT",
            NOT_VALID + "not a JWT",
            NOT_VALID + "not a JWT");
  }

  @Test
  void afterTheProviderRotatesItsKeysATokenOfTheNewKeyIsAcceptedOnceTheKeysAreFetchedAgain()
      throws Exception {
    int before = provider.jwksFetches.get();
    assertThat(outcome(token(c -> {}))).isEqualTo("accepted");
    String newKid = provider.rotate();
    String ofNewKey = token(c -> {});
    assertThat(ofNewKey.substring(0, ofNewKey.indexOf('.')))
        .isEqualTo(
            TestOpenIdProvider.b64(
                TestOpenIdProvider.header("RS256", newKid)
                    .toString()
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(List.of(outcome(ofNewKey), outcome(token(c -> c.put("sub", "another")))))
        .containsOnly("accepted");
    // Once to start, once for the new kid; the second token of the new key is served from the
    // cache.
    assertThat(provider.jwksFetches.get() - before).isEqualTo(2);
  }

  @Test
  void aStreamOfTokensNamingUnknownKeysFetchesTheKeysOnceMoreAndNoMore() throws Exception {
    int before = provider.jwksFetches.get();
    assertThat(outcome(token(c -> {}))).isEqualTo("accepted");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.KeyPair forger = g.generateKeyPair();
    Set<String> outcomes = new LinkedHashSet<>();
    for (int i = 0; i < 20; i++) {
      outcomes.add(
          outcome(
              TestOpenIdProvider.jws(
                  TestOpenIdProvider.header("RS256", "forged-" + i),
                  provider.claims("teacher@school.example", NONCE),
                  forger)));
    }
    assertThat(outcomes)
        .containsExactly(
            NOT_VALID
                + "Signed JWT rejected: Another algorithm expected, or no matching key(s) found",
            NOT_VALID
                + "no provider key for it, and the provider's keys were fetched less than 30 seconds ago");
    assertThat(provider.jwksFetches.get() - before).isEqualTo(2);
  }

  @Test
  void anAudienceArrayHoldingThisConsoleIsAccepted() throws Exception {
    assertThat(
            List.of(
                outcome(token(c -> c.putArray("aud").add(TestOpenIdProvider.CLIENT_ID))),
                outcome(
                    token(
                        c ->
                            c.put("azp", TestOpenIdProvider.CLIENT_ID)
                                .putArray("aud")
                                .add("another-app")
                                .add(TestOpenIdProvider.CLIENT_ID)))))
        .containsOnly("accepted");
  }

  @Test
  void anAudienceThatDoesNotHoldThisConsoleIsRejected() throws Exception {
    assertThat(
            List.of(
                outcome(token(c -> c.putArray("aud").add("another-app").add("a-third-app"))),
                outcome(token(c -> c.put("aud", "another-app"))),
                outcome(token(c -> c.remove("aud")))))
        .containsExactly(
            NOT_VALID + "JWT aud claim rejected",
            NOT_VALID + "JWT aud claim rejected",
            NOT_VALID + "JWT missing required aud claim");
  }

  @Test
  void aTokenForSeveralAudiencesOrAuthorizedToAnotherPartyIsRejected() throws Exception {
    // Core §3.1.3.7 items 4-5: with several audiences azp must name us; when present it always
    // must.
    assertThat(
            List.of(
                outcome(
                    token(
                        c ->
                            c.putArray("aud")
                                .add(TestOpenIdProvider.CLIENT_ID)
                                .add("another-app"))),
                outcome(token(c -> c.put("azp", "another-app")))))
        .containsOnly(NOT_VALID + "JWT azp claim is not this console's client id");
  }

  @Test
  void aTokenNotYetValidBeyondTheSkewIsRejected() throws Exception {
    assertThat(outcome(token(c -> c.put("nbf", now + 300))))
        .isEqualTo(NOT_VALID + "JWT before use time");
  }

  @Test
  void anExpiredTokenIsRejected() throws Exception {
    assertThat(outcome(token(c -> c.put("iat", now - 7200).put("exp", now - 3600))))
        .isEqualTo(NOT_VALID + "Expired JWT");
  }

  @Test
  void theSixtySecondClockSkewIsHonouredToTheSecondAtExpiryNotBeforeAndIssueTime()
      throws Exception {
    assertThat(OidcProvider.SKEW).hasSeconds(60);
    assertThat(
            List.of(
                outcome(token(c -> c.put("exp", now - 59))),
                outcome(token(c -> c.put("exp", now - 60))),
                outcome(token(c -> c.put("nbf", now + 59))),
                outcome(token(c -> c.put("nbf", now + 60))),
                outcome(token(c -> c.put("iat", now + 59))),
                outcome(token(c -> c.put("iat", now + 60)))))
        .containsExactly(
            "accepted", NOT_VALID + "Expired JWT",
            "accepted", NOT_VALID + "JWT before use time",
            "accepted", NOT_VALID + "JWT issued in the future");
  }

  @Test
  void aTokenOfAnotherIssuerIsRejected() throws Exception {
    assertThat(
            List.of(
                outcome(token(c -> c.put("iss", "https://evil.example"))),
                outcome(token(c -> c.put("iss", provider.issuer() + "/")))))
        .containsOnly(NOT_VALID + "JWT iss claim value rejected");
  }

  @Test
  void aTokenWithTheNonceOfAnotherLoginOrNoNonceIsRejected() throws Exception {
    assertThat(
            List.of(
                outcome(token(c -> c.put("nonce", "nonce-of-another-login"))),
                outcome(token(c -> c.remove("nonce")))))
        .containsExactly(
            NOT_VALID + "JWT nonce claim value rejected",
            NOT_VALID + "JWT missing required claims: [nonce]");
  }

  @Test
  void aTokenWhosePayloadWasChangedAfterSigningIsRejected() throws Exception {
    String[] parts = token(c -> {}).split("\\.");
    String forged =
        TestOpenIdProvider.b64(
            provider
                .claims("it.lead@school.example", NONCE)
                .toString()
                .getBytes(StandardCharsets.UTF_8));
    assertThat(outcome(parts[0] + "." + forged + "." + parts[2]))
        .isEqualTo(NOT_VALID + "Signed JWT rejected: Invalid signature");
  }

  @Test
  void aTokenSignedByAKeyTheProviderDidNotPublishIsRejected() throws Exception {
    provider.signWithOtherKey = true;
    assertThat(outcome(token(c -> {})))
        .isEqualTo(NOT_VALID + "Signed JWT rejected: Invalid signature");
  }

  @Test
  void keysThatCannotBeFetchedMakeTheLoginA502NamingTheProvidersAnswer() throws Exception {
    provider.jwksStatus = 503;
    assertThat(outcome(token(c -> {})))
        .isEqualTo(
            "502 single sign-on: cannot read the provider's keys: Couldn't "
                + "retrieve JWK set from URL: Server returned HTTP response code: 503 for URL: "
                + provider.issuer()
                + "/jwks");
  }
}
