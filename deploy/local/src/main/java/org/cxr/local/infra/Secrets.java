package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.cxr.security.Pem;

/**
 * The local platform's generated secrets, one owner-only file each in {@code <data-dir>/secrets/}
 * (a directory only the owner can enter): created at the first {@code ./cxr up} of a data
 * directory and kept, so that restarts find the same credentials and every installation has its
 * own. Nothing here is a default the repository ships.
 */
public final class Secrets {
    /** The broker's super user: the launcher and operator tools. */
    public static final String KAFKA_ADMIN = "cxr-admin";

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;

    public Secrets(Path dataDir) {
        this.dir = dataDir.resolve("secrets");
    }

    public Path dir() {
        return dir;
    }

    public KafkaLogin kafkaAdmin() {
        return new KafkaLogin(KAFKA_ADMIN, password("kafka-" + KAFKA_ADMIN));
    }

    /** The SCRAM identity of a service principal ({@code convert-service}, ...). */
    public KafkaLogin kafka(String principal) {
        return new KafkaLogin(principal, password("kafka-" + principal));
    }

    /** S3Proxy's only identity. */
    public String s3AccessKey() {
        return named("s3-access-key", () -> "cxr-" + HexFormat.of().formatHex(bytes(8)));
    }

    public String s3SecretKey() {
        return password("s3-secret-key");
    }

    public String postgresSuperuser() {
        return password("postgres-superuser");
    }

    /** The password of the role that owns a service's database (role and database share the name). */
    public String postgres(String database) {
        return password("postgres-" + database);
    }

    /** The key ingest derives its pseudonyms from (hex, 256 bits): research ids stay stable across restarts. */
    public String ingestIdSecret() {
        return named("ingest-id-secret", () -> HexFormat.of().formatHex(bytes(32)));
    }

    /** The key pair that signs the local bearer tokens; the services verify with its public half. */
    public KeyPair oidcSigningKey() {
        ensureDir();
        return Pem.loadOrCreate(dir, "oidc-signing-key");
    }

    /** A random 32-character password (base64url of 24 random bytes), created on first use. */
    public String password(String name) {
        return named(name, () -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24)));
    }

    private synchronized String named(String name, java.util.function.Supplier<String> generate) {
        Path file = dir.resolve(name);
        try {
            if (!Files.exists(file)) {
                ensureDir();
                Path tmp = Files.createTempFile(dir, name, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, generate.get());
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the secret " + file, e);
        }
    }

    private void ensureDir() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
