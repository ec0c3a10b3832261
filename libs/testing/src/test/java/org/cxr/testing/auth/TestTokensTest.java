package org.cxr.testing.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PublicKey;

import org.cxr.security.Jwt;
import org.cxr.security.Pem;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

/** The tokens verify the way quarkus-oidc verifies them (signature, issuer, audience, expiry). */
class TestTokensTest {
    static final PublicKey TEST_PUBLIC = Pem.readPublicKey(
            "-----BEGIN PUBLIC KEY-----\n" + TestTokens.PUBLIC_KEY + "\n-----END PUBLIC KEY-----\n");

    static JwtClaims verify(String token, PublicKey key) throws InvalidJwtException {
        return new JwtConsumerBuilder().setRequireExpirationTime().setRequireSubject()
                .setExpectedIssuer(Jwt.LOCAL_ISSUER).setExpectedAudience(Jwt.LOCAL_AUDIENCE)
                .setVerificationKey(key).build().processToClaims(token);
    }

    @Test
    void aTokenCarriesThePrincipalAndTheRolesInGroups() throws Exception {
        JwtClaims c = verify(TestTokens.tokenFor("dr-rivera", "researcher", "operator"), TEST_PUBLIC);
        assertThat(c.getSubject()).isEqualTo("dr-rivera");
        assertThat(c.getStringClaimValue("preferred_username")).isEqualTo("dr-rivera");
        assertThat(c.getStringListClaimValue("groups")).containsExactly("researcher", "operator");
        long lifetime = c.getExpirationTime().getValue() - c.getIssuedAt().getValue();
        assertThat(lifetime).isEqualTo(600);
        assertThat(verify(TestTokens.token("uploader"), TEST_PUBLIC).getSubject()).isEqualTo("test-uploader");
    }

    @Test
    void expiredForgedWrongIssuerAndWrongAudienceTokensAreRefused() {
        assertThatThrownBy(() -> verify(TestTokens.expired("operator"), TEST_PUBLIC))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("no longer valid");
        assertThatThrownBy(() -> verify(TestTokens.forged("operator"), TEST_PUBLIC))
                .isInstanceOf(InvalidJwtException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> verify(TestTokens.sign(TestTokens.claims("operator").withIssuer("elsewhere")),
                TEST_PUBLIC)).isInstanceOf(InvalidJwtException.class).hasMessageContaining("Issuer");
        assertThatThrownBy(() -> verify(TestTokens.sign(TestTokens.claims("operator").withAudience("other")),
                TEST_PUBLIC)).isInstanceOf(InvalidJwtException.class).hasMessageContaining("Audience");
    }
}
