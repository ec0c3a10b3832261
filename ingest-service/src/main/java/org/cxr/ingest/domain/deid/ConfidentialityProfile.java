package org.cxr.ingest.domain.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The action table of the PS3.15 Basic Application Level Confidentiality Profile
 * ({@code basic-profile.tsv} next to this class), with the two options this platform uses.
 */
public final class ConfidentialityProfile {
    /** What to do with an attribute. */
    public enum Action {
        /** remove */
        X,
        /** keep with an empty value */
        Z,
        /** replace with a dummy value: the research subject id */
        D,
        /** keep */
        K,
        /** replace the UID consistently */
        U,
        /** clean the text (report scrubber) */
        C,
        /** dates shifted by the subject's offset, times kept (Retain Longitudinal ... Modified Dates) */
        SHIFT
    }

    /** One row of the table. */
    public record Rule(int tag, String keyword, Action action, char option) {
    }

    private final Map<Integer, Rule> rules;
    private final boolean retainTemporal;
    private final boolean retainPatientCharacteristics;

    private ConfidentialityProfile(Map<Integer, Rule> rules, boolean retainTemporal, boolean retainPatientCharacteristics) {
        this.rules = rules;
        this.retainTemporal = retainTemporal;
        this.retainPatientCharacteristics = retainPatientCharacteristics;
    }

    /** The profile as this platform applies it: both options on. */
    public static ConfidentialityProfile standard() {
        return load(true, true);
    }

    public static ConfidentialityProfile load(boolean retainTemporal, boolean retainPatientCharacteristics) {
        Map<Integer, Rule> rules = new HashMap<>();
        try (InputStream in = ConfidentialityProfile.class.getResourceAsStream("basic-profile.tsv")) {
            if (in == null) {
                throw new IllegalStateException("basic-profile.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                int tag = Integer.parseUnsignedInt(f[0].substring(1, 5) + f[0].substring(6, 10), 16);
                rules.put(tag, new Rule(tag, f[1], Action.valueOf(f[2]), f[3].charAt(0)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfidentialityProfile(Collections.unmodifiableMap(rules), retainTemporal, retainPatientCharacteristics);
    }

    /** The effective action for a listed attribute after the options, or null when not listed. */
    public Action actionFor(int tag) {
        Rule r = rules.get(tag);
        if (r == null) {
            return null;
        }
        if (r.option() == 'T' && retainTemporal) {
            return Action.SHIFT;
        }
        if (r.option() == 'P' && retainPatientCharacteristics) {
            return Action.K;
        }
        return r.action();
    }

    public boolean retainTemporal() {
        return retainTemporal;
    }

    public boolean retainPatientCharacteristics() {
        return retainPatientCharacteristics;
    }

    public Map<Integer, Rule> rules() {
        return rules;
    }
}
