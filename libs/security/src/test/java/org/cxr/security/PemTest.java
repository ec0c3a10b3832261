package org.cxr.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's signing key and the tokens it signs verify the way quarkus-oidc verifies them. */
class PemTest {
    @Test
    void aDataDirectoryKeyIsCreatedOnceOwnerOnlyAndSignsTokens(@TempDir Path dir) throws Exception {
        KeyPair first = Pem.loadOrCreate(dir, "oidc-signing-key");
        KeyPair again = Pem.loadOrCreate(dir, "oidc-signing-key");
        assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("oidc-signing-key.pem"))))
                .isEqualTo("rw-------");
        String token = Jwt.sign(Jwt.Claims.local("ops", List.of("operator"), Duration.ofHours(1)), again.getPrivate());
        JwtClaims claims = new JwtConsumerBuilder().setRequireExpirationTime().setRequireSubject()
                .setExpectedIssuer(Jwt.LOCAL_ISSUER).setExpectedAudience(Jwt.LOCAL_AUDIENCE)
                .setVerificationKey(first.getPublic()).build().processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("ops");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("operator");
        assertThat(Pem.readPublicKey(Pem.publicKey(first.getPublic())).getEncoded())
                .isEqualTo(first.getPublic().getEncoded());
    }
}
