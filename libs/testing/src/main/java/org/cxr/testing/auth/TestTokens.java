package org.cxr.testing.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cxr.security.Jwt;
import org.cxr.security.Pem;

/**
 * Real RS256 tokens for tests, signed with the repository's <b>test</b> key pair. A service's
 * {@code %test} profile trusts its public key:
 *
 * <pre>
 * %test.quarkus.oidc.public-key=${PUBLIC_KEY}   (the value of {@link #PUBLIC_KEY})
 * quarkus.oidc.token.issuer=cxr-local
 * quarkus.oidc.token.audience=cxr
 * </pre>
 *
 * and a REST Assured test sends {@code .auth().oauth2(TestTokens.token("operator"))}. The private
 * key is public knowledge (it is in this repository): never configure its public key outside
 * {@code %test}.
 */
public final class TestTokens {
    /** The test public key as {@code quarkus.oidc.public-key} takes it. */
    public static final String PUBLIC_KEY = Pem.publicKeyValue(Pem.readPublicKey(resource("test-signing-key.pub.pem")));

    private static final PrivateKey KEY = Pem.readPrivateKey(resource("test-signing-key.pem"));
    /** Another key, for "forged" tokens the services must refuse. */
    private static final PrivateKey OTHER_KEY = Pem.newRsaKeyPair().getPrivate();

    private TestTokens() {
    }

    /** A valid token for principal {@code test-<first role>} with these roles, valid for 10 minutes. */
    public static String token(String... roles) {
        return sign(claims(roles));
    }

    /** A valid token for the named principal. */
    public static String tokenFor(String name, String... roles) {
        return sign(Jwt.Claims.local(name, List.of(roles), Duration.ofMinutes(10)));
    }

    /** The claims of {@link #token}, to vary (issuer, audience, lifetime) before {@link #sign}. */
    public static Jwt.Claims claims(String... roles) {
        return Jwt.Claims.local("test-" + (roles.length == 0 ? "nobody" : roles[0]), List.of(roles),
                Duration.ofMinutes(10));
    }

    public static String sign(Jwt.Claims claims) {
        return Jwt.sign(claims, KEY);
    }

    /** Expired a minute ago (beyond quarkus-oidc's default clock skew allowance of none). */
    public static String expired(String... roles) {
        return sign(claims(roles).withTtl(Duration.ofMinutes(-1)));
    }

    /** Well-formed, but signed with a key nobody trusts. */
    public static String forged(String... roles) {
        return Jwt.sign(claims(roles), OTHER_KEY);
    }

    /**
     * Tokens a service must refuse with 401 although they carry these roles, by what is wrong with
     * them: expired, forged, wrong issuer, wrong audience, not a token (sorted by that name).
     */
    public static Map<String, String> refused(String... roles) {
        return new TreeMap<>(Map.of(
                "expired", expired(roles),
                "forged", forged(roles),
                "wrong issuer", sign(claims(roles).withIssuer("https://evil.example")),
                "wrong audience", sign(claims(roles).withAudience("other-api")),
                "not a token", "abc.def.ghi"));
    }

    private static String resource(String name) {
        try (InputStream in = TestTokens.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
