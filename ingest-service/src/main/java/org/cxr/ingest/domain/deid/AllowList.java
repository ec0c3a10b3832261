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

import org.cxr.dicom.ElementDictionary;

/**
 * What the stored DICOM copy keeps ({@code allow-list.tsv} next to this class): per context (the
 * top-level dataset, the items of one sequence, the code sequence macro) the attributes allowed
 * and what is done to each. Anything not listed for its context is removed.
 */
public final class AllowList {
    /** What happens to an allowed attribute. */
    public enum Action {
        /** kept as is */
        K,
        /** kept with an empty value (a Type 2 attribute) */
        Z,
        /** replaced by the research subject id */
        SUBJECT,
        /** replaced by the research study id */
        STUDY,
        /** UID replaced consistently */
        U,
        /** date shifted by the subject's offset */
        SHIFT,
        /** text cleaned by the report scrubber */
        C,
        /** age kept up to 89 years, else 090Y */
        AGE,
        /** sequence whose items are filtered by the sequence's own context */
        SQ,
        /** code sequence: items filtered by the code macro and the sequence's own context */
        CODE_SQ
    }

    /** The context of the top-level dataset. */
    public static final String TOP = ".";
    /** The context shared by the items of every code sequence. */
    public static final String CODE = "CODE";

    private final Map<String, Map<Integer, Action>> contexts;

    private AllowList(Map<String, Map<Integer, Action>> contexts) {
        this.contexts = contexts;
    }

    /** The list shipped with the service. */
    public static AllowList standard() {
        Map<String, Map<Integer, Action>> contexts = new HashMap<>();
        try (InputStream in = AllowList.class.getResourceAsStream("allow-list.tsv")) {
            if (in == null) {
                throw new IllegalStateException("allow-list.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                int tag = ElementDictionary.tagOf(f[1]);
                if (tag < 0) {
                    throw new IllegalStateException("allow-list.tsv: unknown keyword " + f[1]);
                }
                contexts.computeIfAbsent(f[0], c -> new HashMap<>()).put(tag, Action.valueOf(f[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        contexts.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new AllowList(Collections.unmodifiableMap(contexts));
    }

    /** The action for an attribute in a context, or null when it is not allowed there. */
    public Action actionFor(String context, int tag, boolean codeItem) {
        Action a = contexts.getOrDefault(context, Map.of()).get(tag);
        if (a == null && codeItem) {
            a = contexts.get(CODE).get(tag);
        }
        return a;
    }

    /** Every allowed attribute of a context (for tests and documentation). */
    public Map<Integer, Action> context(String context) {
        return contexts.getOrDefault(context, Map.of());
    }
}
