package org.cxr.convert.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The dataset identifiers of one image (dataset-contract §2), given by the caller: the service
 * takes them from the instance-received event, the CLI from the MIMIC-CXR folder layout.
 * Empty strings when unknown.
 */
public record InstanceIds(String dicomId, String subjectId, String studyId) {
    public InstanceIds {
        dicomId = dicomId == null ? "" : dicomId;
        subjectId = subjectId == null ? "" : subjectId;
        studyId = studyId == null ? "" : studyId;
    }

    /**
     * Ids of an instance outside the MIMIC-CXR layout, from its header: dicom_id = {@link
     * #dicomIdFromUid} of the SOP Instance UID (of {@code fallbackKey} when it has none);
     * subject_id = PatientID and study_id = StudyID only when they have the published shape
     * (8 digits), else empty.
     */
    public static InstanceIds fromHeader(org.cxr.dicom.Dataset ds, String fallbackKey) {
        String uid = ds == null ? null : ds.getString(org.cxr.dicom.Tag.SOPInstanceUID);
        String subject = ds == null ? "" : ds.getString(org.cxr.dicom.Tag.PatientID, "");
        String study = ds == null ? "" : ds.getString(org.cxr.dicom.Tag.StudyID, "");
        return new InstanceIds(dicomIdFromUid(uid == null || uid.isEmpty() ? fallbackKey : uid),
                subject.matches("\\d{8}") ? subject : "", study.matches("\\d{8}") ? study : "");
    }

    /**
     * A dicom_id derived deterministically from a SOP Instance UID: the SHA-1 of its ASCII bytes,
     * as 40 lowercase hex digits in five dash-separated groups of 8 (the published shape).
     */
    public static String dicomIdFromUid(String sopInstanceUid) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(sopInstanceUid.getBytes(StandardCharsets.US_ASCII));
            String hex = HexFormat.of().formatHex(h);
            return String.join("-", hex.substring(0, 8), hex.substring(8, 16), hex.substring(16, 24),
                    hex.substring(24, 32), hex.substring(32, 40));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
