package org.cxr.label.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cxr.events.Observation;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy gates on the reference data in ../shared (skipped with a message when it is absent).
 * The Open-i and NegEx numbers of docs/labeling.md come from the same code (./cxr label-eval).
 */
class LabelEvaluationTest {
    private static final String OPENI = "data/reports/openi-iu-reports/indiana_reports.csv";
    private static final String NEGEX = "data/reports/negex-chapman-testset/rsAnnotations-1-120-random.txt";

    /** The targets. */
    private static final double MACRO_F1_TARGET = 0.85;
    private static final double NEGEX_TARGET = Published.GENNEGEX_F1;
    /** floors are measured values cut to three decimals; this absorbs the float noise of an exact 0.900 */
    private static final double EPS = 1e-9;

    /**
     * Per-class floors of the strict present task on Open-i (findings+impression, both styles).
     * Where our F1 reaches the CheXpert labeler's published MIMIC mention F1 the floor IS that
     * figure; where it does not (classes whose Open-i gold counts hedged findings such as
     * "atelectasis or scarring" as present, see docs/labeling.md §6), the floor is the measured
     * value of the rule set of the CheXpert-semantics pass (issue 18; MeSH map with congestion -1
     * and round lung opacities as nodules) cut to three decimals, so losing a single report fails
     * the build while the gap stays visible.
     */
    private static final Map<Observation, Double> FLOOR = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.ATELECTASIS, 0.792),
            Map.entry(Observation.CARDIOMEGALY, Published.CHEXPERT_MENTION_F1.get(Observation.CARDIOMEGALY)),
            Map.entry(Observation.CONSOLIDATION, 0.900),
            Map.entry(Observation.EDEMA, Published.CHEXPERT_MENTION_F1.get(Observation.EDEMA)),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, Published.CHEXPERT_MENTION_F1.get(Observation.ENLARGED_CARDIOMEDIASTINUM)),
            Map.entry(Observation.FRACTURE, 0.887),
            Map.entry(Observation.LUNG_LESION, 0.820),
            Map.entry(Observation.LUNG_OPACITY, Published.CHEXPERT_MENTION_F1.get(Observation.LUNG_OPACITY)),
            Map.entry(Observation.NO_FINDING, Published.CHEXPERT_MENTION_F1.get(Observation.NO_FINDING)),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.914),
            Map.entry(Observation.PLEURAL_OTHER, Published.CHEXPERT_MENTION_F1.get(Observation.PLEURAL_OTHER)),
            Map.entry(Observation.PNEUMONIA, 0.781),
            Map.entry(Observation.PNEUMOTHORAX, 0.916),
            Map.entry(Observation.SUPPORT_DEVICES, Published.CHEXPERT_MENTION_F1.get(Observation.SUPPORT_DEVICES))));

    private static final double NEGBIO_EDEMA_FLOOR = 0.869;

    private static List<OpenIReport> reports;
    private static ReportPipeline pipeline;

    @BeforeAll
    static void load() {
        pipeline = ReportPipeline.bundled();
    }

    private static List<OpenIReport> openI() {
        Path csv = SharedData.require(OPENI);
        if (reports == null) {
            reports = OpenI.load(csv);
        }
        return reports;
    }

    @Test
    void theSectionExtractorRecoversTheImpressionOfRebuiltOpenIReports() {
        for (OpenI.Layout layout : OpenI.Layout.values()) {
            OpenI.SectionCheck c = OpenI.sectionCheck(openI(), pipeline, layout);
            assertThat(c.withImpression()).isEqualTo(3820);
            // the one MIMIC-layout miss (uid 2415) embeds a second "IMPRESSION:" header in its impression
            assertThat(c.impressionRecovered()).as(layout + " layout").isGreaterThanOrEqualTo(c.withImpression() - 1);
            assertThat(c.findingsRecovered()).isEqualTo(c.withoutImpression());
        }
    }

    @Test
    void openIPresentTaskCheXpertStyle() {
        PresentTask all = task(OpenI.Half.ALL, Style.CHEXPERT);
        assertThat(all.reports()).isEqualTo(3734);
        StringBuilder table = new StringBuilder();
        for (Observation o : Observation.all()) {
            table.append(String.format(Locale.ROOT, "%-27s F1 %.3f  floor %.3f  published %.3f%n", o.column(), all.strict(o).f1(),
                    FLOOR.get(o), Published.CHEXPERT_MENTION_F1.get(o)));
        }
        System.out.print(table);
        for (Observation o : Observation.all()) {
            assertThat(all.strict(o).f1()).as(o.column() + "\n" + table).isGreaterThanOrEqualTo(FLOOR.get(o) - EPS);
        }
        assertThat(all.macroF1(OpenI.DIRECT, false)).as("macro F1, 10 direct classes").isGreaterThanOrEqualTo(MACRO_F1_TARGET);
        // the held-out half (never looked at while writing rules) meets the target on its own
        assertThat(task(OpenI.Half.HELD_OUT, Style.CHEXPERT).macroF1(OpenI.DIRECT, false)).isGreaterThanOrEqualTo(MACRO_F1_TARGET);
        // sensitivity analysis (1 or -1 counted as present), measured floor
        assertThat(all.macroF1(OpenI.DIRECT, true)).as("lenient macro F1").isGreaterThanOrEqualTo(0.835);
    }

    @Test
    void openIPresentTaskNegBioStyle() {
        PresentTask all = task(OpenI.Half.ALL, Style.NEGBIO);
        for (Observation o : Observation.all()) {
            // NegBio's negative + uncertain -> negative makes "vascular congestion without edema" Edema 0
            // where the coders code congestion (measured floor)
            double floor = o == Observation.NO_FINDING ? Published.NEGBIO_NO_FINDING_F1
                    : o == Observation.EDEMA ? NEGBIO_EDEMA_FLOOR : FLOOR.get(o);
            assertThat(all.strict(o).f1()).as(o.column()).isGreaterThanOrEqualTo(floor - EPS);
        }
        assertThat(all.macroF1(OpenI.DIRECT, false)).as("macro F1, 10 direct classes").isGreaterThanOrEqualTo(MACRO_F1_TARGET);
        // NegBio's No Finding ignores findings outside the 14 columns, which the Open-i coders count:
        // the held-out half stays below the target by that class alone (measured floor)
        assertThat(task(OpenI.Half.HELD_OUT, Style.NEGBIO).macroF1(OpenI.DIRECT, false)).isGreaterThanOrEqualTo(0.837);
        assertThat(all.macroF1(OpenI.DIRECT, true)).as("lenient macro F1").isGreaterThanOrEqualTo(0.811);
    }

    private static PresentTask task(OpenI.Half half, Style style) {
        return OpenI.meshTask(openI(), pipeline, MeshMap.bundled(), OpenI.Text.FINDINGS_IMPRESSION, half, style);
    }

    @Test
    void theScopeEngineBeatsGenNegExOnTheNegExTestKit() {
        List<NegexKit.Item> items = NegexKit.load(SharedData.require(NEGEX));
        assertThat(items).hasSize(2376);
        for (Style style : Style.values()) {
            for (OpenI.Half half : OpenI.Half.values()) {
                NegexKit.Result r = NegexKit.run(items, pipeline.labeler(), style, half);
                // 11 kit rows give only part of their target ("Neck:  Supple." for "Neck: Supple. No
                // lymphadenopathy"); they are scored as predicted Affirmed
                assertThat(r.notFound()).hasSizeLessThanOrEqualTo(11);
                assertThat(r.counts().f1()).as(style + " " + half).isGreaterThanOrEqualTo(NEGEX_TARGET);
            }
        }
    }
}
