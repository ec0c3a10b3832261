package org.cxr.local.generator;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.Observation;
import org.cxr.events.ReportSection;

/**
 * Writes a MIMIC-CXR-style free-text report and its answer key.
 * <p>First the findings are drawn as template sentences: abnormal ones by rough MIMIC prevalence,
 * support devices, sometimes an abnormal finding outside the 14, then negations of common
 * observations and neutral sentences. A sentence is only added when it agrees with what is already
 * said (no "no pleural effusion" after "small left pleural effusion"). The impression restates the
 * abnormal findings (each impression sentence says nothing the findings do not), or summarises a
 * normal study. The labelled section is the impression (83 %), else the findings (12 %), else the
 * last paragraph of a report without headers (5 %) — MIMIC's shares — and its sentences' declared
 * labels give the key ({@link AnswerKey}).
 */
final class ReportComposer {
    /** What the report frame needs to know about the study. */
    record Context(
            String examination,
            String techniqueSlot,
            int ageYears,
            String sex,
            LocalDate studyDate,
            LocalTime studyTime,
            LocalDate priorStudyDate,
            String mrn,
            Identities.PersonName radiologist,
            Identities.PersonName clinician,
            boolean phi) {
    }

    /**
     * @param labelledText the labelled section's sentences, unwrapped, separated by single spaces
     */
    record Report(String text, AnswerKey key, String labelledText) {
    }

    private static final int WIDTH = 78;
    private static final String REDACTED = "___";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.ROOT);

    /** Observations that carry findings, with a rough share of MIMIC studies where they are positive or uncertain. */
    private static final Map<Observation, Double> PREVALENCE = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.ATELECTASIS, 0.22),
            Map.entry(Observation.CARDIOMEGALY, 0.20),
            Map.entry(Observation.CONSOLIDATION, 0.06),
            Map.entry(Observation.EDEMA, 0.14),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, 0.04),
            Map.entry(Observation.FRACTURE, 0.02),
            Map.entry(Observation.LUNG_LESION, 0.03),
            Map.entry(Observation.LUNG_OPACITY, 0.22),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.25),
            Map.entry(Observation.PLEURAL_OTHER, 0.01),
            Map.entry(Observation.PNEUMONIA, 0.10),
            Map.entry(Observation.PNEUMOTHORAX, 0.05)));

    /** How often a normal-looking observation is explicitly negated in the findings. */
    private static final Map<Observation, Double> NEGATED = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.PNEUMOTHORAX, 0.70),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.70),
            Map.entry(Observation.CONSOLIDATION, 0.55),
            Map.entry(Observation.CARDIOMEGALY, 0.55),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, 0.40),
            Map.entry(Observation.EDEMA, 0.30),
            Map.entry(Observation.PNEUMONIA, 0.15),
            Map.entry(Observation.LUNG_OPACITY, 0.15),
            Map.entry(Observation.FRACTURE, 0.10),
            Map.entry(Observation.LUNG_LESION, 0.05),
            Map.entry(Observation.ATELECTASIS, 0.05)));

    private final ReportTemplates templates;

    ReportComposer(ReportTemplates templates) {
        this.templates = templates;
    }

    Report compose(Context c, SplittableRandom r) {
        Said findings = drawFindings(r);
        double kind = r.nextDouble();
        ReportSection section = kind < 0.83 ? ReportSection.IMPRESSION
                : kind < 0.95 ? ReportSection.FINDINGS : ReportSection.LAST_PARAGRAPH;
        Said impression = drawImpression(findings, r);
        String sep = r.nextBoolean() ? "  " : " ";
        Map<String, String> slots = new HashMap<>();
        List<String> findingsText = renderAll(findings.sentences, slots, r);
        List<String> impressionText = renderAll(impression.sentences, slots, r);
        Phi phi = new Phi(c.phi());

        StringBuilder text = new StringBuilder();
        text.append("                                 FINAL REPORT\n");
        List<String> labelled;
        if (section == ReportSection.LAST_PARAGRAPH) {
            // No headers: a first line naming the exam, one blank line, then one paragraph of findings.
            text.append(' ').append(c.examination()).append(' ').append(phi.date(c.studyDate()))
                    .append(' ').append(TIME.format(c.studyTime())).append('\n').append(" \n");
            wrap(text, String.join(sep, findingsText));
            labelled = findingsText;
        } else {
            header(text, "EXAMINATION", c.examination());
            header(text, "INDICATION", indication(c, r));
            header(text, "TECHNIQUE", templates.pick(c.techniqueSlot(), r));
            header(text, "COMPARISON", c.priorStudyDate() == null ? "None."
                    : (r.nextBoolean() ? "Chest radiograph from " : "") + phi.date(c.priorStudyDate()) + ".");
            text.append(" FINDINGS: \n \n");
            wrap(text, String.join(sep, findingsText));
            text.append(" \n");
            labelled = findingsText;
            if (section == ReportSection.IMPRESSION) {
                text.append(r.nextInt(10) == 0 ? " CONCLUSION: \n \n" : " IMPRESSION: \n \n");
                List<String> lines = new ArrayList<>(impressionText);
                if (findings.abnormal() && r.nextInt(8) == 0) {
                    // A call-back note inside the labelled text: identifiers for report scrubbing, no findings.
                    lines.add("Findings were communicated to " + phi.doctor(c.clinician()) + " by telephone at "
                            + TIME.format(c.studyTime().plusMinutes(20 + r.nextInt(90))) + " on " + phi.date(c.studyDate()) + ".");
                }
                if (lines.size() > 1 && r.nextInt(4) == 0) {
                    for (int i = 0; i < lines.size(); i++) {
                        wrap(text, (i + 1) + ". " + lines.get(i));
                    }
                } else {
                    wrap(text, String.join(sep, lines));
                }
                text.append(" \n");
                labelled = lines;
            }
            if (findings.abnormal() && r.nextInt(6) == 0) {
                header(text, "NOTIFICATION", "The findings were discussed with " + phi.doctor(c.clinician()) + " by "
                        + phi.doctor(c.radiologist()) + " on the telephone on " + phi.date(c.studyDate()) + " at "
                        + TIME.format(c.studyTime().plusMinutes(10 + r.nextInt(60))) + ", " + (2 + r.nextInt(30))
                        + " minutes after discovery of the findings. " + phi.doctor(c.clinician())
                        + " can be reached at " + phi.phone(r) + ".");
            }
        }
        List<ReportTemplates.Template> labelledTemplates = switch (section) {
            case IMPRESSION -> impression.sentences;
            default -> findings.sentences;
        };
        return new Report(text.toString(), AnswerKey.of(section, labelledTemplates), String.join(" ", labelled));
    }

    private String indication(Context c, SplittableRandom r) {
        String who = (c.phi() ? Integer.toString(c.ageYears()) : REDACTED) + c.sex();
        String s = (r.nextBoolean() ? "History: " : "") + who + " with " + templates.pick("indication", r);
        // Without PHI the MRN is left out, as MIMIC's scrubbed reports show no trace of it.
        boolean mrn = r.nextInt(5) == 0;
        return mrn && c.phi() ? s + " (MRN " + c.mrn() + ")" : s;
    }

    private Said drawFindings(SplittableRandom r) {
        Said said = new Said();
        if (r.nextDouble() >= 0.30) {
            double u = r.nextDouble();
            int count = u < 0.45 ? 1 : u < 0.75 ? 2 : u < 0.92 ? 3 : 4;
            for (int i = 0; i < count; i++) {
                Observation o = weighted(PREVALENCE, r);
                int value = r.nextDouble() < 0.68 ? 1 : -1;
                boolean again = r.nextDouble() < 0.08;
                if (said.mentions(o)) {
                    continue; // one finding per observation ("small effusion. There is a small effusion." reads badly)
                }
                List<ReportTemplates.Template> mixed = candidates(said, null, ReportTemplates.Section.FINDINGS,
                        t -> t.has(o, value) && t.mixed());
                said.addOne(again && !mixed.isEmpty() ? mixed : candidates(said, null,
                        ReportTemplates.Section.FINDINGS, t -> t.has(o, value) && !t.mixed()), r);
            }
        }
        if (r.nextDouble() < 0.28) {
            int devices = 1 + r.nextInt(2);
            for (int i = 0; i < devices; i++) {
                int value = r.nextDouble() < 0.9 ? 1 : 0;
                said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS,
                        t -> t.has(Observation.SUPPORT_DEVICES, value)), r);
            }
        }
        if (r.nextDouble() < 0.07) {
            said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, ReportTemplates.Template::other), r);
        }
        for (Map.Entry<Observation, Double> e : NEGATED.entrySet()) {
            Observation o = e.getKey();
            if (r.nextDouble() < e.getValue() && !said.mentions(o)) {
                // a combined negation ("no effusion or pneumothorax") only where it repeats nothing
                said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, t -> t.has(o, 0)
                        && t.votes().stream().allMatch(v -> v.value() == 0 && (v.observation() == o || !said.mentions(v.observation())))), r);
            }
        }
        int neutral = r.nextInt(3);
        for (int i = 0; i < neutral; i++) {
            said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, ReportTemplates.Template::neutral), r);
        }
        said.sentences.sort(Comparator.comparingInt(ReportComposer::anatomicOrder));
        return said;
    }

    private Said drawImpression(Said findings, SplittableRandom r) {
        Said said = new Said();
        for (ReportTemplates.Template f : findings.sentences) {
            if (!f.abnormal() || r.nextDouble() > (f.mentions(Observation.SUPPORT_DEVICES) ? 0.5 : 0.9)) {
                continue;
            }
            List<ReportTemplates.Template> same = candidates(said, findings, ReportTemplates.Section.IMPRESSION, t -> t == f);
            // A restatement names no place the finding did not ("right base" must not become "left upper lobe").
            Set<String> places = places(f);
            List<ReportTemplates.Template> restated = candidates(said, findings, ReportTemplates.Section.IMPRESSION,
                    t -> t.abnormal() && places.containsAll(places(t)) && (t.other() && f.other()
                            || t.votes().stream().anyMatch(v -> v.value() != 0 && f.has(v.observation(), v.value()))));
            said.addOne(!same.isEmpty() && (restated.isEmpty() || r.nextInt(4) != 0) ? same : restated, r);
        }
        if (!said.hasFinding()) {
            said.sentences.add(0, pick(candidates(said, findings, ReportTemplates.Section.IMPRESSION,
                    t -> t.neutral() && t.sections().size() == 1), r));
        }
        if (r.nextDouble() < 0.35) {
            said.addOne(candidates(said, findings, ReportTemplates.Section.IMPRESSION,
                    t -> !t.votes().isEmpty() && t.votes().stream().allMatch(v -> v.value() == 0)), r);
        }
        return said;
    }

    /**
     * Templates for {@code section} that agree with what {@code said} already says and, for an
     * impression, say nothing that the {@code findings} did not say.
     */
    private List<ReportTemplates.Template> candidates(Said said, Said findings, ReportTemplates.Section section,
                                                      Predicate<ReportTemplates.Template> wanted) {
        List<ReportTemplates.Template> out = new ArrayList<>();
        for (ReportTemplates.Template t : templates.all()) {
            if (t.sections().contains(section) && !said.sentences.contains(t) && wanted.test(t) && said.agrees(t)
                    && (findings == null || findings.covers(t))) {
                out.add(t);
            }
        }
        return out;
    }

    private List<String> renderAll(List<ReportTemplates.Template> sentences, Map<String, String> slots,
                                   SplittableRandom r) {
        List<String> out = new ArrayList<>(sentences.size());
        for (ReportTemplates.Template t : sentences) {
            out.add(templates.render(t, slots, r));
        }
        return out;
    }

    private static final Pattern PLACE = Pattern.compile("\\{(side|opposite|lobe|base)}");

    private static Set<String> places(ReportTemplates.Template t) {
        Set<String> s = new HashSet<>();
        Matcher m = PLACE.matcher(t.text());
        while (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    private static int anatomicOrder(ReportTemplates.Template t) {
        if (t.votes().isEmpty()) {
            return t.other() ? 5 : 6;
        }
        return switch (t.votes().get(0).observation()) {
            case SUPPORT_DEVICES -> 0;
            case PLEURAL_EFFUSION, PNEUMOTHORAX, PLEURAL_OTHER -> 2;
            case CARDIOMEGALY, ENLARGED_CARDIOMEDIASTINUM -> 3;
            case FRACTURE -> 4;
            default -> 1;
        };
    }

    private static <T> T pick(List<T> list, SplittableRandom r) {
        if (list.isEmpty()) {
            throw new IllegalStateException("report-templates.txt has no sentence for a required case");
        }
        return list.get(r.nextInt(list.size()));
    }

    private static Observation weighted(Map<Observation, Double> weights, SplittableRandom r) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = r.nextDouble() * total;
        Observation last = null;
        for (Map.Entry<Observation, Double> e : weights.entrySet()) {
            last = e.getKey();
            x -= e.getValue();
            if (x < 0) {
                break;
            }
        }
        return last;
    }

    /** A header line "NAME:  value" (the value wrapped like the rest) followed by a blank line. */
    private static void header(StringBuilder text, String name, String value) {
        text.append(' ').append(name).append(":  ");
        wrapInto(text, value, WIDTH - name.length() - 3);
        text.append(" \n");
    }

    /** Appends {@code paragraph} wrapped at {@link #WIDTH} columns, each line indented by one space. */
    private static void wrap(StringBuilder text, String paragraph) {
        text.append(' ');
        wrapInto(text, paragraph, WIDTH);
    }

    private static void wrapInto(StringBuilder text, String paragraph, int firstWidth) {
        int column = 0;
        int width = firstWidth;
        int i = 0;
        int n = paragraph.length();
        while (i < n) {
            int end = paragraph.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            // keep runs of spaces (the double space after a period) with the word before them
            int next = end;
            while (next < n && paragraph.charAt(next) == ' ') {
                next++;
            }
            String word = paragraph.substring(i, end);
            if (column > 0 && column + word.length() > width) {
                text.append("\n ");
                column = 0;
                width = WIDTH;
            }
            text.append(word);
            column += word.length();
            if (next < n) {
                String spaces = paragraph.substring(end, next);
                text.append(spaces);
                column += spaces.length();
            }
            i = next;
        }
        text.append('\n');
    }

    /** What a section has said so far: its sentences and the values mentioned per observation. */
    private static final class Said {
        final List<ReportTemplates.Template> sentences = new ArrayList<>();
        final Map<Observation, Set<Integer>> values = new EnumMap<>(Observation.class);
        boolean other;

        void addOne(List<ReportTemplates.Template> candidates, SplittableRandom r) {
            if (candidates.isEmpty()) {
                return; // nothing fits what is already said: the report simply says less
            }
            ReportTemplates.Template t = pick(candidates, r);
            sentences.add(t);
            other |= t.other();
            for (ReportTemplates.Vote v : t.votes()) {
                values.computeIfAbsent(v.observation(), o -> new HashSet<>()).add(v.value());
            }
        }

        boolean mentions(Observation o) {
            return values.containsKey(o);
        }

        boolean abnormal() {
            return other || values.entrySet().stream().anyMatch(e ->
                    e.getKey() != Observation.SUPPORT_DEVICES && (e.getValue().contains(1) || e.getValue().contains(-1)));
        }

        boolean hasFinding() {
            return sentences.stream().anyMatch(t -> t.other()
                    || t.votes().stream().anyMatch(v -> v.value() != 0 && v.observation() != Observation.SUPPORT_DEVICES));
        }

        private boolean findingIn(Observation o) {
            Set<Integer> s = values.get(o);
            return s != null && (s.contains(1) || s.contains(-1));
        }

        /** {@code t} repeats or extends nothing that contradicts this section. */
        boolean agrees(ReportTemplates.Template t) {
            for (ReportTemplates.Vote v : t.votes()) {
                Set<Integer> s = values.get(v.observation());
                if (s != null && (!s.contains(v.value()) || t.votes().stream()
                        .filter(w -> w.observation() == v.observation()).count() > 1)) {
                    return false;
                }
            }
            if (t.unlessOther() && other) {
                return false;
            }
            return t.unless().stream().noneMatch(this::findingIn);
        }

        /** Every mention of {@code t} was made, with the same value, by this (findings) section. */
        boolean covers(ReportTemplates.Template t) {
            if (t.other() && !other) {
                return false;
            }
            for (ReportTemplates.Vote v : t.votes()) {
                Set<Integer> s = values.get(v.observation());
                if (s == null || !s.contains(v.value())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Identifiers written into the report text: fake ones, or MIMIC's "___" when PHI is off. */
    private static final class Phi {
        private final boolean on;

        Phi(boolean on) {
            this.on = on;
        }

        String date(LocalDate d) {
            return on ? DATE.format(d) : REDACTED;
        }

        String doctor(Identities.PersonName p) {
            return on ? p.doctor(p.given().length() % 2 == 0) : "Dr. " + REDACTED;
        }

        String phone(SplittableRandom r) {
            String s = r.nextBoolean() ? "pager " + (10000 + r.nextInt(90000))
                    : "(" + (200 + r.nextInt(800)) + ") 555-01" + String.format(Locale.ROOT, "%02d", r.nextInt(100));
            return on ? s : REDACTED;
        }
    }
}
