package org.cxr.security;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs the bearer tokens the services accept locally: RS256, {@code iss}, {@code aud}, the
 * principal as {@code sub} and {@code preferred_username} (what quarkus-oidc names the principal),
 * the roles in {@code groups} (what it maps to roles, as Keycloak's mapper does), {@code iat},
 * {@code exp} and a random {@code jti}.
 */
public final class Jwt {
    /** Issuer and audience of the local platform's tokens (QUARKUS_OIDC_TOKEN_ISSUER / _AUDIENCE). */
    public static final String LOCAL_ISSUER = "cxr-local";
    public static final String LOCAL_AUDIENCE = "cxr";

    private Jwt() {
    }

    /** What a token says. {@code ttl} may be negative (an expired token, for tests). */
    public record Claims(String issuer, String audience, String name, List<String> roles, Duration ttl) {
        public Claims {
            roles = List.copyOf(roles);
        }

        public static Claims local(String name, List<String> roles, Duration ttl) {
            return new Claims(LOCAL_ISSUER, LOCAL_AUDIENCE, name, roles, ttl);
        }

        public Claims withIssuer(String other) {
            return new Claims(other, audience, name, roles, ttl);
        }

        public Claims withAudience(String other) {
            return new Claims(issuer, other, name, roles, ttl);
        }

        public Claims withTtl(Duration other) {
            return new Claims(issuer, audience, name, roles, other);
        }
    }

    public static String sign(Claims c, PrivateKey key) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(c.issuer());
        claims.setAudience(c.audience());
        claims.setSubject(c.name());
        claims.setClaim("preferred_username", c.name());
        claims.setStringListClaim("groups", c.roles());
        NumericDate now = NumericDate.now();
        NumericDate expires = NumericDate.fromSeconds(now.getValue());
        expires.addSeconds(c.ttl().toSeconds());
        claims.setIssuedAt(now);
        claims.setExpirationTime(expires);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
