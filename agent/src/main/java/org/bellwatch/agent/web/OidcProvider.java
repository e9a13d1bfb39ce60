package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bellwatch.agent.config.Oidc;
import org.bellwatch.agent.util.InputFiles;

/**
 * The OpenID provider as the console sees it: discovery (OpenID Connect Discovery 1.0 §4), the
 * token request of the authorization code flow (OpenID Connect Core 1.0 §3.1.3) and ID token
 * validation (§3.1.3.7).
 *
 * <p>Design note. ID tokens are checked by Nimbus JOSE+JWT, which is kept up against the known
 * attacks on JWTs: only RS256 is accepted (Core §3.1.3.7 item 7; Google and Entra sign with it),
 * chosen by us and not by the token, so {@code alg: none} and HS256 keyed with the public key
 * (algorithm confusion) are refused before any key is used. The key is the provider's JWKS (RFC
 * 7517) key the token's {@code kid} names; the JWKS is cached (5 minutes, Nimbus's default) and
 * fetched again when a token names a key not in it (keys rotate), at most twice in 30 seconds
 * (Nimbus's rate limit), so a stream of forged {@code kid}s cannot make us hammer the provider.
 * That cache and its rate limit age in elapsed real time (Nimbus reads the system clock for them),
 * which is what politeness to the provider is about; the claims' times are read from the injected
 * clock ({@link IdTokenClaims}). Discovery is lazy (the agent starts when the provider is
 * unreachable) and kept for an hour.
 */
final class OidcProvider {
  /**
   * Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (between our clock and the
   * provider's).
   */
  static final Duration SKEW = Duration.ofSeconds(60);

  /** The only ID token signature algorithm accepted. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256);

  private static final Duration METADATA_TTL = Duration.ofHours(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final Oidc cfg;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private Metadata metadata;
  private Instant metadataAt = Instant.MIN;
  private JWKSource<SecurityContext> keys;
  private URI keysUri;

  /**
   * What discovery tells: where to send the browser, where to redeem the code, where the keys are.
   */
  record Metadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {}

  OidcProvider(Oidc cfg, ObjectMapper mapper, Clock clock) {
    this.cfg = cfg;
    this.mapper = mapper;
    this.clock = clock;
  }

  synchronized Metadata metadata() {
    Instant now = clock.instant();
    if (metadata == null || now.isAfter(metadataAt.plus(METADATA_TTL))) {
      String issuer = cfg.issuer().toString();
      JsonNode doc =
          getJson(URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration"));
      // Discovery §4.3: the document's issuer must be exactly the one configured.
      if (!issuer.equals(doc.path("issuer").asText())) {
        throw new ApiException(
            502,
            "single sign-on: the provider's discovery names issuer '"
                + doc.path("issuer").asText()
                + "', not the configured '"
                + issuer
                + "'");
      }
      metadata =
          new Metadata(
              issuer,
              endpoint(doc, "authorization_endpoint"),
              endpoint(doc, "token_endpoint"),
              endpoint(doc, "jwks_uri"));
      metadataAt = now;
    }
    return metadata;
  }

  /** Redeems an authorization code (with its PKCE verifier) for the raw ID token. */
  String redeem(String code, String codeVerifier) {
    Metadata m = metadata();
    String secret;
    try {
      secret = InputFiles.readUtf8(cfg.clientSecretFile()).strip();
    } catch (IOException e) {
      throw new ApiException(
          502, "single sign-on: cannot read auth.oidc.client_secret_file: " + e.getMessage());
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", cfg.redirectUrl().toString());
    form.put("client_id", cfg.clientId());
    form.put("client_secret", secret);
    form.put("code_verifier", codeVerifier);
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(m.tokenEndpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    if (r.statusCode() != 200) {
      throw new ApiException(
          401, "single sign-on: the provider refused the code (" + r.statusCode() + ")");
    }
    JsonNode token = parse(r.body(), "token response");
    if (!token.path("id_token").isTextual()) {
      throw new ApiException(502, "single sign-on: the token response has no id_token");
    }
    return token.get("id_token").asText();
  }

  /**
   * The claims of a valid ID token (Core §3.1.3.7): an RS256 signature by a key of the provider's
   * JWKS, then the claims of {@link IdTokenClaims}. Anything else: 401 naming what failed; keys
   * that cannot be fetched: 502.
   */
  JWTClaimsSet verify(String idToken, String nonce) {
    Metadata m = metadata();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(m.jwksUri())));
    processor.setJWTClaimsSetVerifier(
        new IdTokenClaims(m.issuer(), cfg.clientId(), nonce, clock, SKEW));
    try {
      return processor.process(idToken, null);
    } catch (ParseException e) {
      throw invalid("not a JWT");
    } catch (RateLimitReachedException e) {
      throw invalid(
          "no provider key for it, and the provider's keys were fetched less than "
              + JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL / 1000
              + " seconds ago");
    } catch (KeySourceException e) {
      throw new ApiException(
          502, "single sign-on: cannot read the provider's keys: " + e.getMessage());
    } catch (BadJOSEException | JOSEException e) {
      throw invalid(e.getMessage());
    }
  }

  /**
   * The provider's keys, fetched when a token names a key not yet seen (rotation), cached, rate
   * limited.
   */
  private synchronized JWKSource<SecurityContext> keys(URI jwksUri) {
    if (!jwksUri.equals(keysUri)) {
      try {
        keys =
            JWKSourceBuilder.<SecurityContext>create(
                    jwksUri.toURL(),
                    new DefaultResourceRetriever(
                        (int) CONNECT_TIMEOUT.toMillis(),
                        (int) REQUEST_TIMEOUT.toMillis(),
                        JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                .refreshAheadCache(false)
                .build();
      } catch (MalformedURLException | IllegalArgumentException e) {
        throw new ApiException(
            502, "single sign-on: the provider's jwks_uri '" + jwksUri + "' is not a URL");
      }
      keysUri = jwksUri;
    }
    return keys;
  }

  private static ApiException invalid(String why) {
    return new ApiException(401, "single sign-on: the ID token is not valid: " + why);
  }

  private JsonNode parse(String text, String what) {
    try {
      JsonNode n = mapper.readTree(text);
      if (n == null || !n.isObject()) {
        throw new IOException("not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ApiException(502, "single sign-on: the " + what + " is not JSON");
    }
  }

  private JsonNode getJson(URI uri) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build());
    if (r.statusCode() != 200) {
      throw new ApiException(502, "single sign-on: " + uri + " answered " + r.statusCode());
    }
    return parse(r.body(), uri.toString());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiException(502, "single sign-on: the provider is unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted");
    }
  }

  private URI endpoint(JsonNode doc, String key) {
    String v = doc.path(key).asText(null);
    if (v == null) {
      throw new ApiException(502, "single sign-on: the provider's discovery has no " + key);
    }
    return URI.create(v);
  }
}
