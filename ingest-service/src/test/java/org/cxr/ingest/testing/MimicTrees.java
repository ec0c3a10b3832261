package org.cxr.ingest.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cxr.events.ObjectKeys;
import org.cxr.ingest.domain.ids.ResearchIds;

/** Writes small MIMIC-CXR trees (files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm + sSTUDY.txt) for import tests. */
public final class MimicTrees {
    private static final ResearchIds IDS = new ResearchIds();

    public record Study(String subjectId, String studyId, List<String> dicomIds) {
    }

    private MimicTrees() {
    }

    /** {@code subjects} subjects with {@code studiesEach} studies of {@code instancesEach} instances and a report. */
    public static List<Study> write(Path root, int subjects, int studiesEach, int instancesEach, long uidBase) throws IOException {
        List<Study> out = new ArrayList<>();
        long n = 0;
        for (int s = 0; s < subjects; s++) {
            String subject = IDS.subjectId();
            for (int t = 0; t < studiesEach; t++) {
                String study = IDS.studyId();
                List<String> dicoms = new ArrayList<>();
                Path dir = Files.createDirectories(root.resolve(ObjectKeys.studyDir(subject, study)));
                for (int i = 0; i < instancesEach; i++) {
                    String dicomId = IDS.dicomId();
                    Files.write(dir.resolve(dicomId + ".dcm"), TestDicoms.mimic(subject, uidBase + n, i + 1));
                    dicoms.add(dicomId);
                }
                n++;
                Files.writeString(root.resolve(ObjectKeys.report(subject, study)),
                        "FINAL REPORT\nINDICATION: ___ year old woman with cough.\nIMPRESSION: No acute process.\n");
                out.add(new Study(subject, study, dicoms));
            }
        }
        return out;
    }
}
