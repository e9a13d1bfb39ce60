package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A small OpenID provider on loopback for the single sign-on tests: discovery, a JWKS of its RSA
 * keys (which it can {@link #rotate}, and which counts its fetches), an authorization endpoint that
 * signs in whoever {@link #user} names, and a token endpoint that checks the client secret, the
 * redirect URI and the PKCE verifier (RFC 7636 §4.6) before it hands out an RS256 ID token. {@link
 * #tamper} and {@link #signWithOtherKey} make the bad tokens the console must refuse. Tokens are
 * signed here with the JDK alone, independently of the library the console verifies them with.
 */
final class TestOpenIdProvider implements AutoCloseable {
  static final String CLIENT_ID = "bellwatch-console";
  static final String CLIENT_SECRET = "s3cret-of-the-client";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final Clock clock;
  private final KeyPairGenerator generator;

  /** The published keys by kid, oldest first; the last one signs. */
  private final Map<String, KeyPair> keys = new java.util.concurrent.ConcurrentSkipListMap<>();

  private final KeyPair otherKey;
  private volatile String signingKid = "k1";
  final java.util.concurrent.atomic.AtomicInteger jwksFetches =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();

  /** The e-mail address and groups of whoever signs in next. */
  volatile String user = "teacher@school.example";

  volatile List<String> groups = List.of();

  /** Changes the claims of the next ID tokens (wrong issuer, audience, expiry...). */
  volatile Consumer<ObjectNode> tamper = c -> {};

  volatile boolean signWithOtherKey;

  /** The JWKS endpoint's status; not 200: an outage, answered with an empty body. */
  volatile int jwksStatus = 200;

  /** What the token endpoint refused, last (for assertions on PKCE and the client secret). */
  volatile String lastTokenError;

  TestOpenIdProvider(Clock clock) throws Exception {
    this.clock = clock;
    generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys.put(signingKid, generator.generateKeyPair());
    otherKey = generator.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/.well-known/openid-configuration",
        x ->
            json(
                x,
                200,
                MAPPER
                    .createObjectNode()
                    .put("issuer", issuer())
                    .put("authorization_endpoint", issuer() + "/authorize")
                    .put("token_endpoint", issuer() + "/token")
                    .put("jwks_uri", issuer() + "/jwks")
                    .set(
                        "id_token_signing_alg_values_supported",
                        MAPPER.createArrayNode().add("RS256"))));
    server.createContext(
        "/jwks",
        x -> {
          jwksFetches.incrementAndGet();
          if (jwksStatus != 200) {
            x.sendResponseHeaders(jwksStatus, -1);
            x.close();
            return;
          }
          ObjectNode jwks = MAPPER.createObjectNode();
          com.fasterxml.jackson.databind.node.ArrayNode list = jwks.putArray("keys");
          keys.forEach(
              (kid, k) -> {
                RSAPublicKey pub = (RSAPublicKey) k.getPublic();
                list.addObject()
                    .put("kty", "RSA")
                    .put("kid", kid)
                    .put("use", "sig")
                    .put("alg", "RS256")
                    .put("n", b64(unsigned(pub.getModulus())))
                    .put("e", b64(unsigned(pub.getPublicExponent())));
              });
          json(x, 200, jwks);
        });
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
    server.start();
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Key rotation: a new key is published beside the old ones and signs from now on; returns its
   * kid.
   */
  String rotate() {
    String kid = "k" + (keys.size() + 1);
    keys.put(kid, generator.generateKeyPair());
    signingKid = kid;
    return kid;
  }

  /** The public key that signs now (what an attacker can read from the JWKS). */
  RSAPublicKey publicKey() {
    return (RSAPublicKey) keys.get(signingKid).getPublic();
  }

  /** The claims of a good ID token for {@code email}, this client and {@code nonce}, issued now. */
  ObjectNode claims(String email, String nonce) {
    long now = clock.instant().getEpochSecond();
    return MAPPER
        .createObjectNode()
        .put("iss", issuer())
        .put("aud", CLIENT_ID)
        .put("sub", "sub-" + email)
        .put("email", email)
        .put("email_verified", true)
        .put("nonce", nonce)
        .put("iat", now)
        .put("exp", now + 3600);
  }

  /** The header of an RS256 ID token signed by the key named {@code kid}. */
  static ObjectNode header(String alg, String kid) {
    return MAPPER.createObjectNode().put("alg", alg).put("kid", kid).put("typ", "JWT");
  }

  /** An RS256 ID token of these claims, signed by the current key (or the unpublished one). */
  String sign(ObjectNode claims) throws Exception {
    return jws(
        header("RS256", signingKid), claims, signWithOtherKey ? otherKey : keys.get(signingKid));
  }

  private void authorize(HttpExchange x) throws IOException {
    Map<String, String> q = form(x.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(q.get("client_id"))
        || !"S256".equals(q.get("code_challenge_method"))
        || !"code".equals(q.get("response_type"))
        || !q.getOrDefault("scope", "").contains("openid")) {
      json(x, 400, MAPPER.createObjectNode().put("error", "invalid_request"));
      return;
    }
    String code = Passwords.token(16);
    Map<String, String> grant = new HashMap<>(q);
    grant.put("user", user);
    codes.put(code, grant);
    x.getResponseHeaders()
        .add(
            "Location",
            q.get("redirect_uri")
                + "?code="
                + code
                + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private void token(HttpExchange x) throws IOException {
    Map<String, String> f =
        form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Map<String, String> grant = codes.remove(f.getOrDefault("code", ""));
    String error =
        grant == null
            ? "unknown or used code"
            : !CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))
                ? "client"
                : !grant.get("redirect_uri").equals(f.get("redirect_uri"))
                    ? "redirect_uri"
                    : !OidcApi.challenge(f.getOrDefault("code_verifier", ""))
                            .equals(grant.get("code_challenge"))
                        ? "pkce"
                        : null;
    if (error != null) {
      lastTokenError = error;
      json(
          x,
          400,
          MAPPER.createObjectNode().put("error", "invalid_grant").put("error_description", error));
      return;
    }
    ObjectNode claims = claims(grant.get("user"), grant.get("nonce"));
    groups.forEach(claims.putArray("groups")::add);
    tamper.accept(claims);
    try {
      json(
          x,
          200,
          MAPPER
              .createObjectNode()
              .put("access_token", "at")
              .put("token_type", "Bearer")
              .put("expires_in", 3600)
              .put("id_token", sign(claims)));
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** A JWS in compact serialisation (RFC 7515 §7.1) signed with SHA256withRSA by {@code signer}. */
  static String jws(ObjectNode header, ObjectNode claims, KeyPair signer) throws Exception {
    String input =
        b64(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(signer.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(s.sign());
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static Map<String, String> form(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void json(HttpExchange x, int status, ObjectNode body) throws IOException {
    byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
