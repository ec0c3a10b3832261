package org.cxr.events;

import java.util.regex.Pattern;

/** The dataset's identifier formats (dataset contract §2). */
public final class Ids {
    private static final Pattern SUBJECT = Pattern.compile("1\\d{7}");
    private static final Pattern STUDY = Pattern.compile("5\\d{7}");
    private static final Pattern DICOM = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{8}){4}");

    private Ids() {
    }

    /** 8 digits, 10000000–19999999. */
    public static boolean isSubjectId(String s) {
        return s != null && SUBJECT.matcher(s).matches();
    }

    /** 8 digits, 50000000–59999999. */
    public static boolean isStudyId(String s) {
        return s != null && STUDY.matcher(s).matches();
    }

    /** 40 lowercase hex digits in five dash-separated groups of 8. */
    public static boolean isDicomId(String s) {
        return s != null && DICOM.matcher(s).matches();
    }

    public static String requireSubjectId(String s) {
        if (!isSubjectId(s)) {
            throw new IllegalArgumentException("subject_id must be 8 digits 1xxxxxxx, got " + s);
        }
        return s;
    }

    public static String requireStudyId(String s) {
        if (!isStudyId(s)) {
            throw new IllegalArgumentException("study_id must be 8 digits 5xxxxxxx, got " + s);
        }
        return s;
    }

    public static String requireDicomId(String s) {
        if (!isDicomId(s)) {
            throw new IllegalArgumentException("dicom_id must be 40 lowercase hex digits in 5 groups of 8, got " + s);
        }
        return s;
    }
}
