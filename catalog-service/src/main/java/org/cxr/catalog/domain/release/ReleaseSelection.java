package org.cxr.catalog.domain.release;

/**
 * Which studies a release contains: those COMPLETE at the snapshot, and, for an incremental
 * release, only those whose catalog rows changed after the snapshot of an earlier release.
 *
 * @param sinceSeq the high-water mark of the earlier release, or null for a full release
 */
public record ReleaseSelection(Long sinceSeq) {
    public static ReleaseSelection full() {
        return new ReleaseSelection(null);
    }

    public static ReleaseSelection since(long seq) {
        return new ReleaseSelection(seq);
    }

    public boolean incremental() {
        return sinceSeq != null;
    }
}
