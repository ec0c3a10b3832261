package org.cxr.generator.phi;

import java.time.LocalDate;
import java.util.List;

/**
 * One study of the PHI corpus: the dictated report with its gold spans, the patient, and the
 * identifying values its DICOM headers carry.
 *
 * @param index            position in the corpus (0-based)
 * @param studyInstanceUid the hospital's StudyInstanceUID (the report's file name in the folder layout)
 * @param text             the report as dictated
 * @param spans            every planted identifier and every must-keep span, in text order
 * @param accession        the study's accession number (in the report where it is planted, and in the DICOM)
 * @param institution      the hospital the study was made at
 * @param dicom            identifying values for the DICOM headers (keyword, value, kind)
 */
public record PhiReport(int index, String studyInstanceUid, String text, List<GoldSpan> spans, PhiPatient patient,
                        String accession, LocalDate studyDate, String institution, List<DicomValue> dicom) {

    /** A DICOM attribute value that identifies someone (or a free-text value carrying identifiers). */
    public record DicomValue(String keyword, String value, PhiKind kind) {
    }

    public PhiReport {
        spans = List.copyOf(spans);
        dicom = List.copyOf(dicom);
    }

    /** The spans a scrubber must mask. */
    public List<GoldSpan> identifiers() {
        return spans.stream().filter(s -> s.kind().identifier()).toList();
    }

    /** The spans a scrubber must keep. */
    public List<GoldSpan> keeps() {
        return spans.stream().filter(s -> !s.kind().identifier()).toList();
    }
}
