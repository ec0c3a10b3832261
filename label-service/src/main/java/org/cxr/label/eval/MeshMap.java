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
import java.util.function.Consumer;

import org.cxr.events.Observation;

/**
 * The reviewed mapping from Open-i MeSH codes ("Term/qualifier/qualifier") to our observations,
 * read from eval/openi-mesh-map.tsv: term, qualifier rule, observation, and optionally "-1". The
 * qualifier rule is "*" (any), "a|b" (needs one of these qualifiers), "a&b" (needs all of them) or
 * "!a|b" (none of these qualifiers). "-1" marks a code whose finding the CheXpert rules make
 * uncertain (vascular congestion), so that a -1 also counts as present for it
 * (labeler-reference.md §B). The code "normal" on its own means No Finding.
 */
public final class MeshMap {
    private record Rule(String term, boolean negate, boolean all, List<String> qualifiers, Observation observation,
                        boolean uncertainCounts) {
        boolean matches(String term, List<String> quals) {
            if (!this.term.equals(term)) {
                return false;
            }
            if (qualifiers.isEmpty()) {
                return true;
            }
            if (all) {
                return quals.containsAll(qualifiers);
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
            boolean all = q.contains("&");
            if (all && (negate || q.contains("|"))) {
                throw new IllegalArgumentException("openi-mesh-map.tsv:" + n + ": a qualifier rule is a|b, a&b or !a|b");
            }
            List<String> quals = q.equals("*") ? List.of()
                    : Arrays.stream((negate ? q.substring(1) : q).split(all ? "&" : "\\|")).map(x -> x.strip().toLowerCase(Locale.ROOT))
                    .toList();
            boolean uncertainCounts = f.length > 3 && f[3].strip().equals("-1");
            if (f.length > 3 && !uncertainCounts) {
                throw new IllegalArgumentException("openi-mesh-map.tsv:" + n + ": the fourth column is '-1' or nothing");
            }
            rules.add(new Rule(f[0].strip().toLowerCase(Locale.ROOT), negate, all, quals, o, uncertainCounts));
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
        forEachMatch(m, r -> out.add(r.observation));
        return out;
    }

    /**
     * The present observations for which a -1 also counts as present: every code that gives them
     * is marked "-1" ("Pulmonary Congestion" alone; with "Pulmonary Edema" also coded, 1 is needed).
     */
    public Set<Observation> uncertainCounts(String mesh) {
        Set<Observation> marked = EnumSet.noneOf(Observation.class);
        Set<Observation> unmarked = EnumSet.noneOf(Observation.class);
        forEachMatch(mesh == null ? "" : mesh.strip(), r -> (r.uncertainCounts ? marked : unmarked).add(r.observation));
        marked.removeAll(unmarked);
        return marked;
    }

    private void forEachMatch(String mesh, Consumer<Rule> action) {
        for (String code : mesh.split(";")) {
            String[] parts = code.split("/");
            String term = parts[0].strip().toLowerCase(Locale.ROOT);
            List<String> quals = Arrays.stream(parts).skip(1).map(x -> x.strip().toLowerCase(Locale.ROOT)).toList();
            for (Rule r : rules) {
                if (r.matches(term, quals)) {
                    action.accept(r);
                }
            }
        }
    }
}
