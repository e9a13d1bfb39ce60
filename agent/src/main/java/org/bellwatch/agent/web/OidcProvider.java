package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.util.InputFiles;

/**
 * The OpenID provider as the console sees it: discovery (OpenID Connect Discovery 1.0 §4), the token
 * request of the authorization code flow (OpenID Connect Core 1.0 §3.1.3) and ID token validation (§3.1.3.7).
 *
 * <p>Design note. Only RS256 signatures are accepted (Core §3.1.3.7 item 7; Google and Entra sign with it),
 * verified with the JDK's {@code SHA256withRSA} and the provider's JWKS (RFC 7517) key named by the token's
 * {@code kid}; an unknown {@code kid} fetches the JWKS again (keys rotate), at most every 30 seconds, so a
 * stream of forged tokens cannot make us hammer the provider. {@code alg: none}, HS256 (which would make
 * the public key a shared secret) and everything else are refused before any key is looked at. Discovery
 * is lazy (the agent starts when the provider is unreachable) and kept for an hour.
 */
final class OidcProvider {
  /** Clock skew tolerated on {@code exp} and {@code iat}. */
  static final Duration SKEW = Duration.ofSeconds(60);
  private static final Duration METADATA_TTL = Duration.ofHours(1);
  private static final Duration JWKS_REFETCH_MIN = Duration.ofSeconds(30);

  private final BellwatchConfig.Oidc cfg;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private Metadata metadata;
  private Instant metadataAt = Instant.MIN;
  private Map<String, PublicKey> keys = Map.of();
  private Instant keysAt = Instant.MIN;

  /** What discovery tells: where to send the browser, where to redeem the code, where the keys are. */
  record Metadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {
  }

  OidcProvider(BellwatchConfig.Oidc cfg, ObjectMapper mapper, Clock clock) {
    this.cfg = cfg;
    this.mapper = mapper;
    this.clock = clock;
  }

  synchronized Metadata metadata() {
    Instant now = clock.instant();
    if (metadata == null || now.isAfter(metadataAt.plus(METADATA_TTL))) {
      String issuer = cfg.issuer().toString();
      JsonNode doc = getJson(URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration"));
      // Discovery §4.3: the document's issuer must be exactly the one configured.
      if (!issuer.equals(doc.path("issuer").asText())) {
        throw new ApiException(502, "single sign-on: the provider's discovery names issuer '"
            + doc.path("issuer").asText() + "', not the configured '" + issuer + "'");
      }
      metadata = new Metadata(issuer, endpoint(doc, "authorization_endpoint"), endpoint(doc, "token_endpoint"),
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
      throw new ApiException(502, "single sign-on: cannot read auth.oidc.client_secret_file: " + e.getMessage());
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", cfg.redirectUrl().toString());
    form.put("client_id", cfg.clientId());
    form.put("client_secret", secret);
    form.put("code_verifier", codeVerifier);
    String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpResponse<String> r = send(HttpRequest.newBuilder(m.tokenEndpoint()).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    if (r.statusCode() != 200) {
      throw new ApiException(401, "single sign-on: the provider refused the code (" + r.statusCode() + ")");
    }
    JsonNode token = parse(r.body(), "token response");
    if (!token.path("id_token").isTextual()) {
      throw new ApiException(502, "single sign-on: the token response has no id_token");
    }
    return token.get("id_token").asText();
  }

  /**
   * The claims of a valid ID token (Core §3.1.3.7): RS256 signature by a JWKS key, issuer, audience
   * (and {@code azp} when there are several), expiry, issue time and nonce. Anything else: 401.
   */
  JsonNode verify(String idToken, String nonce) {
    String[] parts = idToken.split("\\.", -1);
    if (parts.length != 3) {
      throw invalid("not a signed JWT");
    }
    JsonNode header = parse(b64(parts[0]), "ID token header");
    if (!"RS256".equals(header.path("alg").asText())) {
      throw invalid("signature algorithm '" + header.path("alg").asText() + "' is not RS256");
    }
    String kid = header.path("kid").asText(null);
    PublicKey key = key(kid);
    try {
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initVerify(key);
      sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        throw invalid("bad signature");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw invalid("bad signature");
    }
    JsonNode claims = parse(b64(parts[1]), "ID token claims");
    if (!metadata().issuer().equals(claims.path("iss").asText())) {
      throw invalid("issuer '" + claims.path("iss").asText() + "' is not " + metadata().issuer());
    }
    JsonNode aud = claims.path("aud");
    boolean audienceOk = aud.isTextual() ? aud.asText().equals(cfg.clientId())
        : aud.isArray() && java.util.stream.StreamSupport.stream(aud.spliterator(), false)
            .anyMatch(a -> a.asText().equals(cfg.clientId()));
    if (!audienceOk || aud.isArray() && aud.size() > 1 && !cfg.clientId().equals(claims.path("azp").asText())) {
      throw invalid("audience is not this console's client id");
    }
    Instant now = clock.instant();
    if (!claims.path("exp").canConvertToLong() || !now.isBefore(Instant.ofEpochSecond(claims.get("exp").asLong()).plus(SKEW))) {
      throw invalid("expired");
    }
    if (claims.path("iat").canConvertToLong() && Instant.ofEpochSecond(claims.get("iat").asLong()).isAfter(now.plus(SKEW))) {
      throw invalid("issued in the future");
    }
    if (nonce == null || !nonce.equals(claims.path("nonce").asText(null))) {
      throw invalid("nonce does not match this login");
    }
    return claims;
  }

  private synchronized PublicKey key(String kid) {
    PublicKey k = find(kid);
    if (k == null && clock.instant().isAfter(keysAt.plus(JWKS_REFETCH_MIN))) {
      keys = fetchKeys();
      keysAt = clock.instant();
      k = find(kid);
    }
    if (k == null) {
      throw invalid("no provider key " + (kid == null ? "(no kid)" : "'" + kid + "'"));
    }
    return k;
  }

  private PublicKey find(String kid) {
    if (kid != null) {
      return keys.get(kid);
    }
    return keys.size() == 1 ? keys.values().iterator().next() : null;
  }

  private Map<String, PublicKey> fetchKeys() {
    JsonNode jwks = getJson(metadata().jwksUri());
    Map<String, PublicKey> out = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode k : jwks.path("keys")) {
      // RFC 7517 §4: RSA signing keys only (no "use" means any use).
      if (!"RSA".equals(k.path("kty").asText()) || k.has("use") && !"sig".equals(k.path("use").asText())) {
        continue;
      }
      try {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText()));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText()));
        out.put(k.path("kid").asText("#" + i++), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
      } catch (GeneralSecurityException | IllegalArgumentException ex) {
        // A key we cannot read cannot have signed a token we accept; skip it.
      }
    }
    return out;
  }

  private static ApiException invalid(String why) {
    return new ApiException(401, "single sign-on: the ID token is not valid: " + why);
  }

  private static String b64(String part) {
    try {
      return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("not base64url");
    }
  }

  private JsonNode parse(String text, String what) {
    try {
      JsonNode n = mapper.readTree(text);
      if (n == null || !n.isObject()) {
        throw new IOException("not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ApiException(what.startsWith("ID token") ? 401 : 502, "single sign-on: the " + what + " is not JSON");
    }
  }

  private JsonNode getJson(URI uri) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .header("Accept", "application/json").GET().build());
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
