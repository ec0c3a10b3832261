package org.cxr.ingest.hl7;

import java.util.List;
import java.util.Set;

/**
 * One report from a RIS (an OBR with its OBX texts, or a REST call by accession number). Holds
 * identifiers (accession number, patient ids, name tokens): kept in memory only, never logged or
 * stored; ingest keeps keyed digests of them.
 *
 * @param studyInstanceUid the study's UID when the sender gave it (ZDS-1, an OBX 113014/110180), else null
 * @param status           the result status: F final, C corrected, P preliminary, X cancelled, ...
 * @param patientIds       PID-3 identifiers (the first is the sender's preferred one)
 * @param patientNameTokens tokens of the patient's name (PID-5), to scrub from the text
 */
public record RisReport(String accessionNumber, String studyInstanceUid, String status, String text,
                        List<PatientId> patientIds, Set<String> patientNameTokens) {

    /** A PID-3 identifier: the id, its assigning authority (CX-4.1) and its type (CX-5, e.g. MR). */
    public record PatientId(String id, String authority, String typeCode) {
    }

    /** Final or corrected: a result to store. P, X and the other statuses are not. */
    public boolean isFinal() {
        return "F".equals(status) || "C".equals(status);
    }
}
