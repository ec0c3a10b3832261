package org.cxr.events;

/** Where a study is in the pipeline, as the catalog sees it. */
public enum StudyState {
    /** Instances or the report arrived; nothing converted or labelled yet. */
    RECEIVED,
    /** All received instances are converted; the report is not labelled yet. */
    CONVERTED,
    /** The report is labelled; some received instances are not converted yet. */
    LABELLED,
    /** The report is labelled and every received instance is converted (or failed). */
    COMPLETE,
    /** No usable image or report: every instance failed, or the report was rejected. */
    FAILED
}
