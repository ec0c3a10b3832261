package org.cxr.catalog.domain.release;

import java.util.List;
import java.util.Map;

/**
 * What was written.
 *
 * @param files every file with its size and sha256 (JPGs included when copied), sorted by name
 */
public record ReleaseResult(long highWaterMark, long images, long studies, long subjects, long chexpertRows,
        long negbioRows, Map<String, Long> imagesBySplit, Map<String, Long> converterVersions,
        Map<String, Long> labelerVersions, List<FileEntry> files, String readme) {

    public record FileEntry(String name, long bytes, String sha256) {
    }
}
