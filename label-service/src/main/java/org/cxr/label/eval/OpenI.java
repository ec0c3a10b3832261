package org.cxr.label.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cxr.events.Observation;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.section.ExtractedSection;
import org.cxr.label.domain.section.SectionKind;

/**
 * Open-i evaluations (labeler-reference.md §B): the present task against the MeSH codes and
 * against NegBio's 14-class file, on findings+impression or on the contract's section; and the
 * section-extraction check on rebuilt reports.
 */
public final class OpenI {
    /** Which text is labelled. */
    public enum Text {
        /** findings + impression, as the MeSH coders read them */
        FINDINGS_IMPRESSION,
        /** the section chosen by the contract (impression, else findings ...) of the rebuilt report */
        SECTION
    }

    /** Development half (odd uid), held-out half (even uid), or both. */
    public enum Half {
        ALL,
        DEVELOPMENT,
        HELD_OUT;

        boolean includes(OpenIReport r) {
            return this == ALL || (this == DEVELOPMENT) == r.inDevelopmentHalf();
        }
    }

    /** The ten classes with a direct MeSH equivalent (macro F1 target of the issue). */
    public static final Set<Observation> DIRECT = EnumSet.of(Observation.ATELECTASIS, Observation.CARDIOMEGALY,
            Observation.CONSOLIDATION, Observation.EDEMA, Observation.PLEURAL_EFFUSION, Observation.PNEUMONIA,
            Observation.PNEUMOTHORAX, Observation.LUNG_LESION, Observation.FRACTURE, Observation.NO_FINDING);

    /** Classes NegBio's 14-class file maps to, with its column names. */
    public static final Map<Observation, List<String>> NEGBIO14 = negbio14();

    private OpenI() {
    }

    private static Map<Observation, List<String>> negbio14() {
        Map<Observation, List<String>> m = new LinkedHashMap<>();
        m.put(Observation.ATELECTASIS, List.of("Atelectasis"));
        m.put(Observation.CARDIOMEGALY, List.of("Cardiomegaly"));
        m.put(Observation.CONSOLIDATION, List.of("Consolidation"));
        m.put(Observation.EDEMA, List.of("Edema"));
        m.put(Observation.LUNG_LESION, List.of("Mass", "Nodule"));
        m.put(Observation.LUNG_OPACITY, List.of("Infiltration"));
        m.put(Observation.NO_FINDING, List.of("normal"));
        m.put(Observation.PLEURAL_EFFUSION, List.of("Effusion"));
        m.put(Observation.PLEURAL_OTHER, List.of("Pleural_Thickening"));
        m.put(Observation.PNEUMONIA, List.of("Pneumonia"));
        m.put(Observation.PNEUMOTHORAX, List.of("Pneumothorax"));
        return m;
    }

    public static List<OpenIReport> load(Path indianaReportsCsv) {
        List<OpenIReport> out = new ArrayList<>();
        for (Map<String, String> r : Csv.read(indianaReportsCsv)) {
            out.add(new OpenIReport(Integer.parseInt(r.get("uid")), r.get("MeSH"), r.get("indication"),
                    r.get("comparison"), r.get("findings"), r.get("impression")));
        }
        return out;
    }

    /** Reports used for scoring: coded ("No Indexing" excluded) and with some text. */
    public static boolean scored(OpenIReport r) {
        return !r.notIndexed() && !r.isEmpty();
    }

    public static String id(OpenIReport r) {
        return "CXR" + r.uid();
    }

    /** Labels of one report for the chosen text (null when the text is empty). */
    public static LabelledRow labels(ReportPipeline p, OpenIReport r, Text text, Style style) {
        ReportPipeline.Result res = text == Text.SECTION ? p.process(r.fullText()) : p.processText(r.findingsAndImpression());
        return res.labels() == null ? null : res.labels().labels(style);
    }

    /** The present task against the MeSH codes, over all 14 observations. */
    public static PresentTask meshTask(List<OpenIReport> reports, ReportPipeline p, MeshMap map, Text text, Half half, Style style) {
        PresentTask task = new PresentTask(EnumSet.allOf(Observation.class));
        for (OpenIReport r : reports) {
            if (scored(r) && half.includes(r)) {
                LabelledRow v = labels(p, r, text, style);
                if (v != null) {
                    task.add(id(r), map.present(r.mesh()), map.uncertainCounts(r.mesh()), v);
                }
            }
        }
        return task;
    }

    /** The present task against openi_gld_std14.csv (rows keyed CXR<uid>) for the mapped classes. */
    public static PresentTask negbio14Task(List<OpenIReport> reports, Path goldCsv, ReportPipeline p, Text text, Half half, Style style) {
        Map<String, Map<String, String>> gold = new LinkedHashMap<>();
        for (Map<String, String> row : Csv.read(goldCsv)) {
            gold.put(row.get("filename"), row);
        }
        PresentTask task = new PresentTask(EnumSet.copyOf(NEGBIO14.keySet()));
        for (OpenIReport r : reports) {
            Map<String, String> row = gold.get(id(r));
            if (row == null || !scored(r) || !half.includes(r)) {
                continue;
            }
            Set<Observation> present = EnumSet.noneOf(Observation.class);
            NEGBIO14.forEach((o, cols) -> {
                if (cols.stream().anyMatch(c -> "1".equals(row.get(c).strip()))) {
                    present.add(o);
                }
            });
            LabelledRow v = labels(p, r, text, style);
            if (v != null) {
                task.add(id(r), present, v);
            }
        }
        return task;
    }

    /** Section recovery on rebuilt reports: how often the extractor returns the impression column. */
    public record SectionCheck(int reports, int withImpression, int impressionRecovered, int withoutImpression,
                               int findingsRecovered, Map<SectionKind, Integer> kinds, List<Integer> mismatches) {
    }

    /** The report layouts the section check rebuilds. */
    public enum Layout {
        /** "INDICATION: ...\nCOMPARISON: ...\nFINDINGS: ...\nIMPRESSION: ..." */
        PLAIN,
        /** MIMIC-CXR's: title, indented wrapped lines, headers on their own line, blank lines */
        MIMIC
    }

    public static SectionCheck sectionCheck(List<OpenIReport> reports, ReportPipeline p, Layout layout) {
        int withImp = 0;
        int impOk = 0;
        int withoutImp = 0;
        int findOk = 0;
        Map<SectionKind, Integer> kinds = new LinkedHashMap<>();
        List<Integer> mismatches = new ArrayList<>();
        for (OpenIReport r : reports) {
            ExtractedSection s = p.sectioner().extract(layout == Layout.PLAIN ? r.fullText() : r.mimicLayout());
            kinds.merge(s.kind(), 1, Integer::sum);
            if (!r.impression().isBlank()) {
                withImp++;
                if (s.kind() == SectionKind.IMPRESSION && same(s.text(), r.impression())) {
                    impOk++;
                } else {
                    mismatches.add(r.uid());
                }
            } else if (!r.findings().isBlank()) {
                withoutImp++;
                if (s.kind() == SectionKind.FINDINGS && same(s.text(), r.findings())) {
                    findOk++;
                } else {
                    mismatches.add(r.uid());
                }
            }
        }
        return new SectionCheck(reports.size(), withImp, impOk, withoutImp, findOk, kinds, mismatches);
    }

    private static boolean same(String a, String b) {
        return a.replaceAll("\\s+", " ").strip().equals(b.replaceAll("\\s+", " ").strip());
    }
}
