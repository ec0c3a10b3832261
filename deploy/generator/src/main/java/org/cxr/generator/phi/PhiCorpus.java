package org.cxr.generator.phi;

import java.util.ArrayList;
import java.util.List;

import org.cxr.generator.ids.Seeds;
import org.cxr.generator.ids.Uids;

/**
 * The PHI corpus: synthetic dictations with identifiers planted in every form issue 13 lists and
 * the clinical words that must survive, each with its gold span. Deterministic: report i of a seed
 * is the same whatever n is.
 * <pre>
 * for (PhiReport r : PhiCorpus.generate(1, 500)) {
 *     String scrubbed = scrubber.scrub(r.text(), r.patient().nameTokens());
 *     for (GoldSpan s : r.identifiers()) { ... masked? }   // recall per s.kind(), s.tags()
 *     for (GoldSpan s : r.keeps()) { ... intact? }         // over-masking
 * }
 * </pre>
 */
public final class PhiCorpus {
    private static final DictationComposer COMPOSER = new DictationComposer();

    private PhiCorpus() {
    }

    public static List<PhiReport> generate(long seed, int n) {
        List<PhiReport> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(report(seed, i));
        }
        return out;
    }

    public static PhiReport report(long seed, int index) {
        return COMPOSER.compose(index, Uids.of(seed, "phi-study", index), Seeds.random(seed, "phi-report", index));
    }
}
