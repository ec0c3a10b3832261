package org.cxr.label.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.cxr.events.Observation;

/**
 * The reviewed mapping from Open-i MeSH codes ("Term/qualifier/qualifier") to our observations,
 * read from eval/openi-mesh-map.tsv: term, qualifier rule, observation. The qualifier rule is
 * "*" (any), "a|b" (needs one of these qualifiers) or "!a|b" (none of these qualifiers).
 * The code "normal" on its own means No Finding.
 */
public final class MeshMap {
    private record Rule(String term, boolean negate, List<String> qualifiers, Observation observation) {
        boolean matches(String term, List<String> quals) {
            if (!this.term.equals(term)) {
                return false;
            }
            if (qualifiers.isEmpty()) {
                return true;
            }
            boolean any = quals.stream().anyMatch(qualifiers::contains);
            return negate != any;
        }
    }

    private final List<Rule> rules;

    private MeshMap(List<Rule> rules) {
        this.rules = rules;
    }

    public static MeshMap bundled() {
        try (InputStream in = MeshMap.class.getClassLoader().getResourceAsStream("eval/openi-mesh-map.tsv")) {
            if (in == null) {
                throw new IllegalStateException("eval/openi-mesh-map.tsv missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MeshMap parse(String tsv) {
        List<Rule> rules = new ArrayList<>();
        int n = 0;
        for (String line : tsv.split("\n")) {
            n++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 3) {
                throw new IllegalArgumentException("openi-mesh-map.tsv:" + n + ": expected term<TAB>qualifiers<TAB>observation");
            }
            Observation o = Observation.byColumn(f[2].strip());
            if (o == null) {
                throw new IllegalArgumentException("openi-mesh-map.tsv:" + n + ": unknown observation " + f[2]);
            }
            String q = f[1].strip();
            boolean negate = q.startsWith("!");
            List<String> quals = q.equals("*") ? List.of()
                    : Arrays.stream((negate ? q.substring(1) : q).split("\\|")).map(x -> x.strip().toLowerCase(Locale.ROOT)).toList();
            rules.add(new Rule(f[0].strip().toLowerCase(Locale.ROOT), negate, quals, o));
        }
        return new MeshMap(List.copyOf(rules));
    }

    /** The observations present according to a report's MeSH field. */
    public Set<Observation> present(String mesh) {
        Set<Observation> out = EnumSet.noneOf(Observation.class);
        String m = mesh == null ? "" : mesh.strip();
        if (m.equalsIgnoreCase("normal")) {
            out.add(Observation.NO_FINDING);
            return out;
        }
        for (String code : m.split(";")) {
            String[] parts = code.split("/");
            String term = parts[0].strip().toLowerCase(Locale.ROOT);
            List<String> quals = Arrays.stream(parts).skip(1).map(x -> x.strip().toLowerCase(Locale.ROOT)).toList();
            for (Rule r : rules) {
                if (r.matches(term, quals)) {
                    out.add(r.observation);
                }
            }
        }
        return out;
    }
}
