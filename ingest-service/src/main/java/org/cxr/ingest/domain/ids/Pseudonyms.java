package org.cxr.ingest.domain.ids;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed one-way digests (HMAC-SHA256 with {@code cxr.ingest.id-secret}) of original identifiers.
 * Ingest's tables are keyed by these, so not even ingest's database holds a PatientID, a name or
 * a UID; without the secret a digest cannot be tested against a guessed identifier. Each kind has
 * its own domain prefix so equal strings of different kinds never share a digest.
 */
public final class Pseudonyms {
    private final SecretKeySpec key;

    public Pseudonyms(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("cxr.ingest.id-secret must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The patient: issuer of patient id (may be empty) and PatientID. */
    public String patient(String issuer, String patientId) {
        return hex("patient", (issuer == null ? "" : issuer.trim()) + "\u0000" + patientId.trim());
    }

    public String study(String studyInstanceUid) {
        return hex("study", studyInstanceUid.trim());
    }

    public String instance(String sopInstanceUid) {
        return hex("instance", sopInstanceUid.trim());
    }

    /** An accession number, to match a RIS report with the instances of its study (HL7, REST by accession). */
    public String accession(String accessionNumber) {
        return hex("accession", accessionNumber.trim());
    }

    /**
     * What an upload answers instead of research ids: 128 bits of the HMAC of the object's research
     * ids ({@code instance:<dicomId>}, {@code report:<studyId>/<revision>}), in hex. The same object
     * always has the same receipt; without the secret it cannot be computed from the ids.
     */
    public String receipt(String object) {
        return hex("receipt", object).substring(0, 32);
    }

    /** A token of a patient's name (lower-cased), to recognise it later in the report text. */
    public String nameToken(String token) {
        return hex("name", token.toLowerCase(Locale.ROOT));
    }

    /**
     * The replacement of a UID: {@code 2.25.<decimal of 128 bits of the HMAC>} (PS3.5 B.2: a UUID-derived
     * UID). The same input UID always maps to the same new UID, so references between instances hold.
     */
    public String uid(String uid) {
        byte[] d = mac("uid", uid.trim());
        byte[] b = new byte[16];
        System.arraycopy(d, 0, b, 0, 16);
        // RFC 9562 version 8 (custom) and variant bits, so the value is a well-formed UUID
        b[6] = (byte) (b[6] & 0x0f | 0x80);
        b[8] = (byte) (b[8] & 0x3f | 0x80);
        return "2.25." + new BigInteger(1, b);
    }

    private String hex(String domain, String value) {
        return HexFormat.of().formatHex(mac(domain, value));
    }

    private byte[] mac(String domain, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(domain.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
