package org.cxr.generator;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cxr.generator.report.AnswerKey;

/**
 * One generated study: its identities, instances (whose bytes are produced on demand), report and
 * answer key. Immutable and safe to share between threads.
 *
 * @param index            position in the generator's sequence (0-based)
 * @param subjectId        the research subject_id the generator assigned (used by the MIMIC tree layout)
 * @param studyId          the research study_id the generator assigned
 * @param patient          the identity in the DICOM headers
 * @param studyInstanceUid StudyInstanceUID of every instance
 * @param accessionNumber  AccessionNumber (empty without PHI)
 * @param studyDate        StudyDate as written (DA, YYYYMMDD)
 * @param studyTime        StudyTime as written (TM, with or without fraction)
 * @param procedure        PerformedProcedureStepDescription, e.g. "CHEST (PA AND LAT)"
 * @param report           the free-text report
 * @param labelledText     the sentences of the labelled section, unwrapped
 */
public record GeneratedStudy(
        long index,
        String subjectId,
        String studyId,
        Patient patient,
        String studyInstanceUid,
        String accessionNumber,
        String studyDate,
        String studyTime,
        String procedure,
        List<GeneratedInstance> instances,
        String report,
        AnswerKey answerKey,
        String labelledText) {

    public GeneratedStudy {
        instances = List.copyOf(instances);
    }

    public byte[] reportBytes() {
        return report.getBytes(StandardCharsets.UTF_8);
    }
}
