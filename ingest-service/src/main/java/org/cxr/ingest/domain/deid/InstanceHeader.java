package org.cxr.ingest.domain.deid;

import java.util.LinkedHashSet;
import java.util.Set;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.Tag;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;

/**
 * The identifying attributes ingest needs from a received instance, read before de-identification.
 * Only ever kept in memory: the service stores keyed digests of them.
 */
public record InstanceHeader(
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        String sopClassUid,
        String patientId,
        String issuerOfPatientId,
        Set<String> patientNameTokens,
        String transferSyntaxUid) {

    /** @param requirePatientId false for MIMIC-tree input, whose subject comes from the path */
    public static InstanceHeader of(DicomFile file, boolean requirePatientId) throws IntakeRejected {
        Dataset ds = file.dataset();
        String study = ds.getString(Tag.StudyInstanceUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String patient = ds.getString(Tag.PatientID);
        if (isEmpty(study) || isEmpty(sop) || requirePatientId && isEmpty(patient)) {
            StringBuilder missing = new StringBuilder();
            if (isEmpty(study)) {
                missing.append(" StudyInstanceUID");
            }
            if (isEmpty(sop)) {
                missing.append(" SOPInstanceUID");
            }
            if (requirePatientId && isEmpty(patient)) {
                missing.append(" PatientID");
            }
            throw new IntakeRejected(RejectReason.MISSING_UID, "missing or empty:" + missing);
        }
        String sopClass = ds.getString(Tag.SOPClassUID);
        if (isEmpty(sopClass)) {
            sopClass = file.fileMeta().getString(Tag.MediaStorageSOPClassUID);
        }
        return new InstanceHeader(study, ds.getString(Tag.SeriesInstanceUID), sop, isEmpty(sopClass) ? null : sopClass,
                patient, ds.getString(Tag.IssuerOfPatientID), nameTokens(ds.getString(Tag.PatientName)),
                file.transferSyntax().uid());
    }

    /**
     * Tokens of the family, given and middle name components of a person name
     * ("Doe-Smith^John^A.^Dr" → Doe, Smith, John): letters only, at least 2 of them; prefixes and
     * suffixes (Dr, Jr) are not part of what identifies the patient.
     */
    public static Set<String> nameTokens(String personName) {
        Set<String> tokens = new LinkedHashSet<>();
        if (personName == null) {
            return tokens;
        }
        for (String group : personName.split("=")) {
            String[] components = group.split("\\^", -1);
            for (int i = 0; i < Math.min(3, components.length); i++) {
                for (String t : components[i].split("[\\s,.\\-']+")) {
                    if (t.length() >= 2 && t.chars().allMatch(Character::isLetter)) {
                        tokens.add(t);
                    }
                }
            }
        }
        return tokens;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }
}
