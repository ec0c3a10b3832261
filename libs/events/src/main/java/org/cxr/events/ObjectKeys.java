package org.cxr.events;

/**
 * Object keys in the buckets. Images and reports use the dataset layout
 * {@code files/p{first two digits}/p{subject}/s{study}/...} in every bucket, so a bucket can be
 * synced into a MIMIC-CXR(-JPG) tree as is.
 */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /** {@code files/pXX/pSUBJECT/sSTUDY} */
    public static String studyDir(String subjectId, String studyId) {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
        return "files/p" + subjectId.substring(0, 2) + "/p" + subjectId + "/s" + studyId;
    }

    /** The de-identified DICOM in the raw bucket. */
    public static String dicom(String subjectId, String studyId, String dicomId) {
        return studyDir(subjectId, studyId) + "/" + Ids.requireDicomId(dicomId) + ".dcm";
    }

    /** The JPG in the jpg bucket (and in a release's files/ folder). */
    public static String jpg(String subjectId, String studyId, String dicomId) {
        return studyDir(subjectId, studyId) + "/" + Ids.requireDicomId(dicomId) + ".jpg";
    }

    /** The de-identified report in the reports bucket: {@code files/pXX/pSUBJECT/sSTUDY.txt}. */
    public static String report(String subjectId, String studyId) {
        return studyDir(subjectId, studyId) + ".txt";
    }
}
