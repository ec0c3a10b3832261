package org.cxr.catalog.domain.indexing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Values cut to a size the catalog can store and send, deterministically (a replayed record gives
 * the same dead letter) and without splitting a character.
 */
public final class Bounded {
    private static final int HASH = 64;

    private Bounded() {
    }

    /**
     * An id of at most {@code max} characters: itself when short enough, else its start, {@code #}
     * and the SHA-256 of the whole id, so that distinct long ids stay distinct.
     */
    public static String id(String id, int max) {
        if (id == null || id.length() <= max) {
            return id;
        }
        return prefix(id, max - HASH - 1) + "#" + sha256(id);
    }

    /** Text of at most {@code max} characters; a cut is marked with an ellipsis. */
    public static String text(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return prefix(s, max - 1) + "\u2026";
    }

    private static String prefix(String s, int n) {
        int end = Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
        return s.substring(0, end);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
