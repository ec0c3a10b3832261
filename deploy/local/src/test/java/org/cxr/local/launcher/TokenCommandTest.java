package org.cxr.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cxr.local.infra.Secrets;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./cxr token: what the services' verification (public key, issuer cxr-local, audience cxr) accepts. */
class TokenCommandTest {
    @Test
    void tokensOfADataDirectoryVerifyWithItsPublicKeyOnly(@TempDir Path a, @TempDir Path b) throws Exception {
        Secrets mine = new Secrets(a);
        String token = TokenCommand.mint(mine, "alice", List.of("operator", "researcher"), Duration.ofHours(2));
        JwtClaims c = new JwtConsumerBuilder().setExpectedIssuer("cxr-local").setExpectedAudience("cxr")
                .setVerificationKey(mine.oidcSigningKey().getPublic()).build().processToClaims(token);
        assertThat(c.getStringClaimValue("preferred_username")).isEqualTo("alice");
        assertThat(c.getStringListClaimValue("groups")).containsExactly("operator", "researcher");
        assertThat(c.getExpirationTime().getValue() - c.getIssuedAt().getValue()).isEqualTo(7200);
        assertThatThrownBy(() -> new JwtConsumerBuilder().setExpectedIssuer("cxr-local").setExpectedAudience("cxr")
                .setVerificationKey(new Secrets(b).oidcSigningKey().getPublic()).build().processToClaims(token))
                .hasMessageContaining("signature");
    }

    @Test
    void lifetimesAreWrittenTheWayPeopleWriteThem() {
        assertThat(TokenCommand.parseTtl("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TokenCommand.parseTtl("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TokenCommand.parseTtl("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenCommand.parseTtl("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(TokenCommand.parseTtl("PT1H")).isEqualTo(Duration.ofHours(1));
        for (String bad : List.of("5x", "h", "-1h", "0s", "")) {
            assertThatThrownBy(() -> TokenCommand.parseTtl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
