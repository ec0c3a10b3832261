package org.cxr.events;

import java.util.List;

/**
 * Kafka topic names. Every record is keyed by study_id so that one study's events stay in order
 * on one partition. Each consuming stage has its own dead-letter topic.
 */
public final class Topics {
    private Topics() {
    }

    /** ingest → convert, catalog: a de-identified DICOM instance is stored in the raw bucket. */
    public static final String INSTANCE_RECEIVED = "cxr.instance-received";
    /** ingest → label, catalog: a de-identified report is stored in the reports bucket. */
    public static final String REPORT_RECEIVED = "cxr.report-received";
    /** convert → catalog: the JPG is in the jpg bucket; carries the metadata columns. */
    public static final String INSTANCE_CONVERTED = "cxr.instance-converted";
    /** label → catalog: both label vectors of a study's report. */
    public static final String REPORT_LABELLED = "cxr.report-labelled";
    /** catalog → anyone: a study's indexed state changed (e.g. it became complete). */
    public static final String STUDY_INDEXED = "cxr.study-indexed";

    /**
     * ingest → catalog: where each import stands ({@link ImportProgress}, keyed by import id), for the
     * catalog's pipeline page.
     */
    public static final String IMPORT_PROGRESS = "cxr.import-progress";

    /** Events convert-service could not process, with the reason. */
    public static final String CONVERT_DLQ = "cxr.convert.dlq";
    /** Events label-service could not process, with the reason. */
    public static final String LABEL_DLQ = "cxr.label.dlq";
    /** Events catalog-service could not index, with the reason. */
    public static final String CATALOG_DLQ = "cxr.catalog.dlq";

    /**
     * catalog → convert: dead letters an operator sends back (the original event, its attempt count
     * in {@link EventHeaders#ATTEMPTS}); convert reads it with the handler of its input topic.
     */
    public static final String CONVERT_REDRIVE = "cxr.convert.redrive";
    /** catalog → label: the same for label. */
    public static final String LABEL_REDRIVE = "cxr.label.redrive";

    /**
     * convert's own delivery-attempt log (compacted, keyed by record): a record whose processing
     * ended the JVM still counts as an attempt after the restart.
     */
    public static final String CONVERT_ATTEMPTS = "cxr.convert.attempts";
    /** label's delivery-attempt log. */
    public static final String LABEL_ATTEMPTS = "cxr.label.attempts";

    /** The topics events travel on (not the attempt logs, which are a stage's private bookkeeping). */
    public static final List<String> ALL = List.of(INSTANCE_RECEIVED, REPORT_RECEIVED, INSTANCE_CONVERTED,
            REPORT_LABELLED, STUDY_INDEXED, CONVERT_DLQ, LABEL_DLQ, CATALOG_DLQ, CONVERT_REDRIVE, LABEL_REDRIVE,
            IMPORT_PROGRESS);

    /** Compacted topics (the attempt logs). */
    public static final List<String> COMPACTED = List.of(CONVERT_ATTEMPTS, LABEL_ATTEMPTS);
}
