package org.bellwatch.agent.web;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DateUtils;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The claims checks of an ID token for one login (OpenID Connect Core 1.0 §3.1.3.7), on Nimbus's
 * verifier: {@code iss} exactly the discovered issuer (item 2), {@code aud} a string or array
 * holding this console's client id (item 3), {@code exp} not passed and {@code nbf} reached within
 * the skew (item 9; RFC 7519 §4.1.4-5), and {@code nonce} exactly the one sent with this login
 * (item 11). Added here: {@code iat} not later than now plus the skew (item 10), and {@code azp},
 * when present or when there are several audiences, equal to the client id (items 4-5). {@code
 * iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat} and {@code nonce} must be present (Core
 * §2). Time is the injected clock, so tests and a stepped clock agree.
 */
final class IdTokenClaims extends DefaultJWTClaimsVerifier<SecurityContext> {
  private final Clock clock;
  private final String clientId;

  IdTokenClaims(String issuer, String clientId, String nonce, Clock clock, Duration skew) {
    super(
        Set.of(clientId),
        new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build(),
        Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT),
        null);
    setMaxClockSkew(Math.toIntExact(skew.toSeconds()));
    this.clock = clock;
    this.clientId = clientId;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    super.verify(claims, context);
    Date iat = claims.getIssueTime();
    if (!DateUtils.isBefore(iat, currentTime(), getMaxClockSkew())) {
      throw new BadJWTException("JWT issued in the future");
    }
    List<String> audiences = claims.getAudience();
    Object azp = claims.getClaim("azp");
    if ((azp != null || audiences.size() > 1) && !clientId.equals(azp)) {
      throw new BadJWTException("JWT azp claim is not this console's client id");
    }
  }

  @Override
  protected Date currentTime() {
    return Date.from(clock.instant());
  }
}
