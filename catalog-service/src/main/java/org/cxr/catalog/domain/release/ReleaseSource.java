package org.cxr.catalog.domain.release;

import org.cxr.catalog.domain.query.Labeler;

/** Where release rows come from (the catalog database, read through a cursor). */
public interface ReleaseSource {

    /** Opens one consistent snapshot of the catalog for a release. */
    Snapshot open(ReleaseSelection selection);

    /** A consistent, read-only view; rows are streamed, never loaded all at once. */
    interface Snapshot extends AutoCloseable {
        /** The highest change sequence number visible in this snapshot. */
        long highWaterMark();

        /** Converted images of the selected studies, ordered by subject_id, study_id, dicom_id. */
        void images(RowHandler<ImageRow> handler) throws Exception;

        /** Label rows of the selected studies for one labeler, ordered by subject_id, study_id. */
        void labels(Labeler labeler, RowHandler<LabelRow> handler) throws Exception;

        @Override
        void close();
    }

    @FunctionalInterface
    interface RowHandler<T> {
        void accept(T row) throws Exception;
    }
}
