package org.cxr.ingest.domain.ids;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.Ids;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;

/**
 * The ids of a file in a MIMIC-CXR tree: {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm} or
 * {@code files/pXX/pSUBJECT/sSTUDY.txt} (contract §2). Such input keeps its ids.
 *
 * @param dicomId null for a report
 */
public record MimicPath(String subjectId, String studyId, String dicomId) {
    private static final Pattern DICOM = Pattern.compile("(?:.*/)?p([^/]*)/p([^/]*)/s([^/]*)/([^/]*)\\.dcm");
    private static final Pattern REPORT = Pattern.compile("(?:.*/)?p([^/]*)/p([^/]*)/s([^/]*)\\.txt");

    public boolean isReport() {
        return dicomId == null;
    }

    /**
     * The ids of a path relative to the tree root (any separator). Empty when the path is not shaped
     * like a MIMIC file at all; rejected with {@code BAD_ID} when it is shaped like one but an id is
     * malformed or {@code pXX} disagrees with the subject.
     */
    public static Optional<MimicPath> parse(Path relative) throws IntakeRejected {
        String p = relative.toString().replace('\\', '/');
        Matcher m = DICOM.matcher(p);
        boolean dicom = m.matches();
        if (!dicom) {
            m = REPORT.matcher(p);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        String prefix = m.group(1);
        String subject = m.group(2);
        String study = m.group(3);
        String dicomId = dicom ? m.group(4) : null;
        if (!Ids.isSubjectId(subject) || !Ids.isStudyId(study) || dicom && !Ids.isDicomId(dicomId)) {
            throw new IntakeRejected(RejectReason.BAD_ID, "path " + p + " does not carry well-formed ids"
                    + " (subject 1xxxxxxx, study 5xxxxxxx, dicom_id 5 groups of 8 lowercase hex)");
        }
        if (!subject.startsWith(prefix) || prefix.length() != 2) {
            throw new IntakeRejected(RejectReason.BAD_ID, "path " + p + ": folder p" + prefix
                    + " is not the first two digits of subject " + subject);
        }
        return Optional.of(new MimicPath(subject, study, dicomId));
    }
}
