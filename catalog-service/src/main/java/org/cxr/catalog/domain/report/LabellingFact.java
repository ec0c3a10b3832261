package org.cxr.catalog.domain.report;

import java.time.Instant;

import org.cxr.events.ReportSection;

/**
 * One report-labelled event: the section used and both 14-value vectors (1, 0, -1, null in
 * published column order; null vectors when the section is NONE).
 */
public record LabellingFact(String reportSha256, String labelerVersion, String reportKey, ReportSection section,
        String sectionText, Short[] chexpert, Short[] negbio, Instant labelledAt) {
}
