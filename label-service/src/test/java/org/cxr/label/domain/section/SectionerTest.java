package org.cxr.label.domain.section;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.label.domain.rules.RuleSet;
import org.junit.jupiter.api.Test;

class SectionerTest {
    private final Sectioner sectioner = new Sectioner(new SectionNames(RuleSet.bundled().sectionRules()));

    private static final String MIMIC = """
                                             FINAL REPORT
             EXAMINATION:  CHEST (PA AND LAT)
             \s
             INDICATION:  ___F with new onset ascites  // eval for infection
             \s
             TECHNIQUE:  Chest PA and lateral
             \s
             COMPARISON:  None.
             \s
             FINDINGS:\s
             \s
             There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral
             nodular opacities that most likely represent nipple shadows. The
             cardiomediastinal silhouette is normal.
             \s
             IMPRESSION:\s
             \s
             No acute cardiopulmonary process.
            """;

    @Test
    void picksTheImpressionOfAMimicReport() {
        ExtractedSection s = sectioner.extract(MIMIC);
        assertThat(s.kind()).isEqualTo(SectionKind.IMPRESSION);
        assertThat(s.text()).isEqualTo("No acute cardiopulmonary process.");
    }

    @Test
    void takesTheLastImpressionWhenThereAreSeveral() {
        String report = MIMIC + " ADDENDUM: phoned.\n IMPRESSION: Small left effusion.\n";
        assertThat(sectioner.extract(report).text()).isEqualTo("Small left effusion.");
    }

    @Test
    void anAddendumAfterTheImpressionIsNotLabelled() {
        String report = MIMIC + " \n ADDENDUM:  Findings were discussed with Dr. ___ at 10:00.\n";
        ExtractedSection s = sectioner.extract(report);
        assertThat(s.kind()).isEqualTo(SectionKind.IMPRESSION);
        assertThat(s.text()).isEqualTo("No acute cardiopulmonary process.");
    }

    @Test
    void fallsBackToFindingsAndKeepsWrappedLines() {
        String report = MIMIC.substring(0, MIMIC.indexOf(" IMPRESSION:"));
        ExtractedSection s = sectioner.extract(report);
        assertThat(s.kind()).isEqualTo(SectionKind.FINDINGS);
        assertThat(s.text()).startsWith("There is no focal consolidation").contains("Bilateral\n nodular opacities")
                .endsWith("silhouette is normal.");
    }

    @Test
    void anEmptyImpressionFallsBackToFindings() {
        String report = " FINDINGS: Heart size is normal.\n IMPRESSION:\n \n";
        ExtractedSection s = sectioner.extract(report);
        assertThat(s.kind()).isEqualTo(SectionKind.FINDINGS);
        assertThat(s.text()).isEqualTo("Heart size is normal.");
    }

    @Test
    void synonymsMapToImpressionAndFindings() {
        assertThat(sectioner.extract("HISTORY: cough\nCONCLUSION: Normal chest.").kind()).isEqualTo(SectionKind.IMPRESSION);
        assertThat(sectioner.extract("INDICATION: cough\nFINDINGS AND IMPRESSION: Normal chest.").kind())
                .isEqualTo(SectionKind.IMPRESSION);
        ExtractedSection view = sectioner.extract("INDICATION: cough\nPA AND LATERAL CHEST: Clear lungs.");
        assertThat(view.kind()).isEqualTo(SectionKind.FINDINGS);
        assertThat(view.text()).isEqualTo("Clear lungs.");
    }

    @Test
    void withoutImpressionOrFindingsTheLastParagraphOfTheLastSectionIsUsed() {
        String report = """
                                                 FINAL REPORT
                 EXAMINATION:  CHEST (PORTABLE AP)
                 \s
                 COMPARISON:  ___
                 \s
                 Single portable view of the chest. Lungs are clear.
                 No pneumothorax.
                """;
        ExtractedSection s = sectioner.extract(report);
        assertThat(s.kind()).isEqualTo(SectionKind.LAST_PARAGRAPH);
        assertThat(s.text()).isEqualTo("Single portable view of the chest. Lungs are clear.\n No pneumothorax.");
    }

    @Test
    void aReportWithoutHeadersUsesTheTextAfterItsFirstBlankLine() {
        String report = "FINAL REPORT\n\nHeart size normal. Lungs clear.\n";
        ExtractedSection s = sectioner.extract(report);
        assertThat(s.kind()).isEqualTo(SectionKind.LAST_PARAGRAPH);
        assertThat(s.text()).isEqualTo("Heart size normal. Lungs clear.");
    }

    @Test
    void theComparisonIsTheLastResortAndOtherwiseNothing() {
        ExtractedSection c = sectioner.extract("INDICATION: pain\nCOMPARISON: Stable since prior.\nTECHNIQUE: PA");
        assertThat(c.kind()).isEqualTo(SectionKind.COMPARISON);
        assertThat(c.text()).isEqualTo("Stable since prior.");
        assertThat(sectioner.extract("A single paragraph without headers or blank lines.").kind()).isEqualTo(SectionKind.NONE);
        assertThat(sectioner.extract("").kind()).isEqualTo(SectionKind.NONE);
    }

    @Test
    void headersAreUpperCaseRunsFollowedByAColonAtTheStartOfALine() {
        assertThat(Sectioner.headerColon("IMPRESSION: x")).isEqualTo(10);
        assertThat(Sectioner.headerColon(" CHEST (PA/LAT), PORTABLE-AP: x")).isEqualTo(28);
        assertThat(Sectioner.headerColon("Impression: x")).isEqualTo(-1);
        assertThat(Sectioner.headerColon("Heart: normal")).isEqualTo(-1);
        assertThat(Sectioner.headerColon("10:30 AM")).isEqualTo(-1);
        assertThat(Sectioner.headerColon(" : nothing")).isEqualTo(-1);
        // a header inside a line is text
        assertThat(sectioner.extract("FINDINGS: see IMPRESSION: below").text()).isEqualTo("see IMPRESSION: below");
    }

    @Test
    void windowsLineEndingsAreHandled() {
        ExtractedSection s = sectioner.extract("FINDINGS: Clear.\r\nIMPRESSION: Normal.\r\n");
        assertThat(s.kind()).isEqualTo(SectionKind.IMPRESSION);
        assertThat(s.text()).isEqualTo("Normal.");
    }
}
