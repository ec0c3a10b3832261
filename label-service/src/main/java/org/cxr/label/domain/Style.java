package org.cxr.label.domain;

/** The two labelling conventions of MIMIC-CXR-JPG. */
public enum Style {
    /** negative + uncertain mentions give uncertain; No Finding also blocked by other abnormal findings. */
    CHEXPERT,
    /** negative + uncertain mentions give negative; No Finding blocked only by the 13 observations. */
    NEGBIO
}
