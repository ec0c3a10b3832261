package org.cxr.convert.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths of the MIMIC-CXR(-JPG) layout (dataset-contract §2): DICOMs at
 * {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm}, images at {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg},
 * XX the first two digits of the subject id.
 */
public final class DatasetLayout {
    private static final Pattern MIMIC = Pattern.compile(
            "(?:^|.*/)p(\\d\\d)/p(\\d+)/s(\\d+)/([^/]+)\\.dcm$", Pattern.CASE_INSENSITIVE);

    private DatasetLayout() {
    }

    /** The image path of an instance, relative to the dataset root, with the given extension ("jpg"). */
    public static String imagePath(InstanceIds ids, String extension) {
        String s = ids.subjectId();
        return "files/p" + s.substring(0, Math.min(2, s.length())) + "/p" + s + "/s" + ids.studyId() + "/"
                + ids.dicomId() + "." + extension;
    }

    /** The ids of a DICOM path in the MIMIC-CXR layout (relative, '/'-separated), if it is one. */
    public static Optional<InstanceIds> parseMimicPath(String relativePath) {
        Matcher m = MIMIC.matcher(relativePath.replace('\\', '/'));
        if (!m.matches() || !m.group(2).startsWith(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new InstanceIds(m.group(4), m.group(2), m.group(3)));
    }
}
