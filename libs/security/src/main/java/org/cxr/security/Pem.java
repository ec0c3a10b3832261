package org.cxr.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA keys as PEM text (PKCS#8 private, X.509 public): the form OpenSSL and quarkus-oidc read. */
public final class Pem {
    private Pem() {
    }

    public static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String privateKey(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicKey(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * The public key as {@code quarkus.oidc.public-key} takes it: the base64 of the X.509
     * SubjectPublicKeyInfo, without PEM armour or line breaks.
     */
    public static String publicKeyValue(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PrivateKey readPrivateKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
        }
    }

    public static PublicKey readPublicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 RSA public key", e);
        }
    }

    /**
     * The key pair kept in {@code dir} ({@code <name>.pem} private, owner-only; {@code <name>.pub.pem}
     * public), created there the first time.
     */
    public static KeyPair loadOrCreate(Path dir, String name) {
        Path priv = dir.resolve(name + ".pem");
        Path pub = dir.resolve(name + ".pub.pem");
        try {
            if (!Files.exists(priv) || !Files.exists(pub)) {
                KeyPair pair = newRsaKeyPair();
                Files.createDirectories(dir);
                writeOwnerOnly(priv, privateKey(pair.getPrivate()));
                Files.writeString(pub, publicKey(pair.getPublic()));
            }
            return new KeyPair(readPublicKey(Files.readString(pub)), readPrivateKey(Files.readString(priv)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the key pair " + priv, e);
        }
    }

    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
    }
}
