package org.cxr.label.domain.labeler;

import org.cxr.label.domain.rules.RuleSet;
import org.cxr.label.domain.section.ExtractedSection;
import org.cxr.label.domain.section.SectionKind;
import org.cxr.label.domain.section.SectionNames;
import org.cxr.label.domain.section.Sectioner;

/**
 * Section extraction followed by both labelers: what the CLI and the service run per report. Not
 * final so that the service's tests can make it fail for a marker text (a poison record).
 */
public class ReportPipeline {
    private final Sectioner sectioner;
    private final ReportLabeler labeler;

    public ReportPipeline(RuleSet rules) {
        this.sectioner = new Sectioner(new SectionNames(rules.sectionRules()));
        this.labeler = new ReportLabeler(rules);
    }

    public static ReportPipeline bundled() {
        return new ReportPipeline(RuleSet.bundled());
    }

    /** labels is null when there is no text to label (no label row for the study). */
    public record Result(ExtractedSection section, LabelOutcome labels) {
    }

    /** Picks the section of a full report, then labels it. */
    public Result process(String report) {
        return labelSection(sectioner.extract(report));
    }

    /** Labels the given text as is (--no-sections); blank text gives no labels. */
    public Result processText(String text) {
        String t = text == null ? "" : text.strip();
        return labelSection(t.isEmpty() ? ExtractedSection.NONE : new ExtractedSection(SectionKind.TEXT, t));
    }

    private Result labelSection(ExtractedSection section) {
        boolean empty = section.text().isBlank();
        return new Result(section, empty ? null : labeler.label(section.text()));
    }

    public Sectioner sectioner() {
        return sectioner;
    }

    public ReportLabeler labeler() {
        return labeler;
    }

    public String version() {
        return labeler.version();
    }
}
