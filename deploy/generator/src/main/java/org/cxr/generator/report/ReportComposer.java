package org.cxr.generator.report;

import org.cxr.generator.identity.Identities;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
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
public final class ReportComposer {
    /** What the report frame needs to know about the study. */
    public record Context(
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
    public record Report(String text, AnswerKey key, String labelledText) {
    }

    private static final String REDACTED = "___";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.ROOT);

    private final ReportTemplates templates;

    public ReportComposer(ReportTemplates templates) {
        this.templates = templates;
    }

    public Report compose(Context c, SplittableRandom r) {
        Said findings = drawFindings(r);
        ReportSection section = ReportOdds.LABELLED_SECTION.draw(r);
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
            ReportLayout.wrap(text, String.join(sep, findingsText));
            labelled = findingsText;
        } else {
            ReportLayout.header(text, "EXAMINATION", c.examination());
            ReportLayout.header(text, "INDICATION", indication(c, r));
            ReportLayout.header(text, "TECHNIQUE", templates.pick(c.techniqueSlot(), r));
            ReportLayout.header(text, "COMPARISON", c.priorStudyDate() == null ? "None."
                    : (r.nextBoolean() ? "Chest radiograph from " : "") + phi.date(c.priorStudyDate()) + ".");
            text.append(" FINDINGS: \n \n");
            ReportLayout.wrap(text, String.join(sep, findingsText));
            text.append(" \n");
            labelled = findingsText;
            if (section == ReportSection.IMPRESSION) {
                text.append(ReportOdds.oneIn(r, ReportOdds.CONCLUSION_ONE_IN) ? " CONCLUSION: \n \n" : " IMPRESSION: \n \n");
                List<String> lines = new ArrayList<>(impressionText);
                if (findings.abnormal() && ReportOdds.oneIn(r, ReportOdds.CALL_BACK_ONE_IN)) {
                    // A call-back note inside the labelled text: identifiers for report scrubbing, no findings.
                    lines.add("Findings were communicated to " + phi.doctor(c.clinician()) + " by telephone at "
                            + TIME.format(c.studyTime().plusMinutes(20 + r.nextInt(90))) + " on " + phi.date(c.studyDate()) + ".");
                }
                if (lines.size() > 1 && ReportOdds.oneIn(r, ReportOdds.NUMBERED_ONE_IN)) {
                    for (int i = 0; i < lines.size(); i++) {
                        ReportLayout.wrap(text, (i + 1) + ". " + lines.get(i));
                    }
                } else {
                    ReportLayout.wrap(text, String.join(sep, lines));
                }
                text.append(" \n");
                labelled = lines;
            }
            if (findings.abnormal() && ReportOdds.oneIn(r, ReportOdds.NOTIFICATION_ONE_IN)) {
                ReportLayout.header(text, "NOTIFICATION", "The findings were discussed with " + phi.doctor(c.clinician()) + " by "
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
        boolean mrn = ReportOdds.oneIn(r, ReportOdds.MRN_IN_INDICATION_ONE_IN);
        return mrn && c.phi() ? s + " (MRN " + c.mrn() + ")" : s;
    }

    private Said drawFindings(SplittableRandom r) {
        Said said = new Said();
        if (!ReportOdds.chance(r, ReportOdds.NORMAL_STUDY)) {
            int count = ReportOdds.ABNORMAL_FINDINGS.draw(r);
            for (int i = 0; i < count; i++) {
                Observation o = ReportOdds.weighted(ReportOdds.PREVALENCE, r);
                int value = ReportOdds.chance(r, ReportOdds.POSITIVE) ? 1 : -1;
                boolean again = ReportOdds.chance(r, ReportOdds.MIXED_SENTENCE);
                if (said.mentions(o)) {
                    continue; // one finding per observation ("small effusion. There is a small effusion." reads badly)
                }
                List<ReportTemplates.Template> mixed = candidates(said, null, ReportTemplates.Section.FINDINGS,
                        t -> t.has(o, value) && t.mixed());
                said.addOne(again && !mixed.isEmpty() ? mixed : candidates(said, null,
                        ReportTemplates.Section.FINDINGS, t -> t.has(o, value) && !t.mixed()), r);
            }
        }
        if (ReportOdds.chance(r, ReportOdds.SUPPORT_DEVICES)) {
            int devices = 1 + r.nextInt(ReportOdds.MAX_DEVICE_SENTENCES);
            for (int i = 0; i < devices; i++) {
                int value = ReportOdds.chance(r, ReportOdds.DEVICE_PRESENT) ? 1 : 0;
                said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS,
                        t -> t.has(Observation.SUPPORT_DEVICES, value)), r);
            }
        }
        if (ReportOdds.chance(r, ReportOdds.OTHER_FINDING)) {
            said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, ReportTemplates.Template::other), r);
        }
        for (Map.Entry<Observation, Double> e : ReportOdds.NEGATED.entrySet()) {
            Observation o = e.getKey();
            if (ReportOdds.chance(r, e.getValue()) && !said.mentions(o)) {
                // a combined negation ("no effusion or pneumothorax") only where it repeats nothing
                said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, t -> t.has(o, 0)
                        && t.votes().stream().allMatch(v -> v.value() == 0 && (v.observation() == o || !said.mentions(v.observation())))), r);
            }
        }
        int neutral = r.nextInt(ReportOdds.NEUTRAL_SENTENCES_BOUND);
        for (int i = 0; i < neutral; i++) {
            said.addOne(candidates(said, null, ReportTemplates.Section.FINDINGS, ReportTemplates.Template::neutral), r);
        }
        said.sentences.sort(Comparator.comparingInt(ReportComposer::anatomicOrder));
        return said;
    }

    private Said drawImpression(Said findings, SplittableRandom r) {
        Said said = new Said();
        for (ReportTemplates.Template f : findings.sentences) {
            if (!f.abnormal() || r.nextDouble() > (f.mentions(Observation.SUPPORT_DEVICES)
                    ? ReportOdds.RESTATE_DEVICE : ReportOdds.RESTATE_FINDING)) {
                continue;
            }
            List<ReportTemplates.Template> same = candidates(said, findings, ReportTemplates.Section.IMPRESSION, t -> t == f);
            // A restatement names no place the finding did not ("right base" must not become "left upper lobe").
            Set<String> places = places(f);
            List<ReportTemplates.Template> restated = candidates(said, findings, ReportTemplates.Section.IMPRESSION,
                    t -> t.abnormal() && places.containsAll(places(t)) && (t.other() && f.other()
                            || t.votes().stream().anyMatch(v -> v.value() != 0 && f.has(v.observation(), v.value()))));
            said.addOne(!same.isEmpty() && (restated.isEmpty() || !ReportOdds.oneIn(r, ReportOdds.REPHRASE_ONE_IN))
                    ? same : restated, r);
        }
        if (!said.hasFinding()) {
            said.sentences.add(0, ReportOdds.pick(candidates(said, findings, ReportTemplates.Section.IMPRESSION,
                    t -> t.neutral() && t.sections().size() == 1), r));
        }
        if (ReportOdds.chance(r, ReportOdds.IMPRESSION_NEGATION)) {
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
