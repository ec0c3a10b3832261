package org.cxr.generator.report;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.cxr.events.Observation;

/**
 * A deliberately small, independent mention finder for the tests: which observations a sentence
 * names, and whether it carries a negation or hedge cue. It checks the template declarations and
 * the generated reports against their text; it is not a labeler.
 */
final class Phrases {
    static final Map<Observation, Pattern> MENTIONS = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.ATELECTASIS, words("atelecta", "collapse")),
            Map.entry(Observation.CARDIOMEGALY, words("cardiomegaly", "heart size", "the heart", "cardiac silhouette", "heart failure")),
            Map.entry(Observation.CONSOLIDATION, words("consolidat")),
            Map.entry(Observation.EDEMA, words("edema", "heart failure", "congestion")),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, words("mediastinum", "cardiomediastinal", "contour")),
            Map.entry(Observation.FRACTURE, words("fracture")),
            Map.entry(Observation.LUNG_LESION, words("nodul", "mass")),
            Map.entry(Observation.LUNG_OPACITY, words("opaci", "interstitial marking")),
            Map.entry(Observation.PLEURAL_EFFUSION, words("effusion")),
            Map.entry(Observation.PLEURAL_OTHER, words("pleural thickening", "pleural scar")),
            Map.entry(Observation.PNEUMONIA, words("pneumonia", "infecti")),
            Map.entry(Observation.PNEUMOTHORAX, words("pneumothora")),
            Map.entry(Observation.SUPPORT_DEVICES, Pattern.compile(
                    "tube|catheter|picc|pacemaker|pacer|valve|\\blines?\\b|drain\\b|device|hardware|marker|coil|plate|screw|support"))));
    /** Findings outside the 14 that withhold CheXpert's No Finding. */
    static final Pattern OTHER = words("emphysema", "hyperinflat", "degenera", "scoliosis", "granuloma", "calcifi",
            "atherosclero", "elevation", "blunt", "density", "hernia", "kyphosis");
    static final Pattern NEGATION = Pattern.compile("\\bno\\b|without|normal|resolved|removed|removal");
    static final Pattern HEDGE = Pattern.compile("possible|\\bmay\\b|could|cannot be excluded|cannot exclude|worrisome"
            + "|suspicious|borderline|congestion|heart failure");

    private Phrases() {
    }

    private static Pattern words(String... stems) {
        return Pattern.compile(String.join("|", List.of(stems)));
    }

    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    static Set<Observation> mentioned(String text) {
        String t = normalise(text);
        Set<Observation> s = new TreeSet<>();
        MENTIONS.forEach((o, p) -> {
            if (p.matcher(t).find()) {
                s.add(o);
            }
        });
        return s;
    }

    static boolean other(String text) {
        return OTHER.matcher(normalise(text)).find();
    }
}
