package org.cxr.generator.phi;

import java.util.List;

/**
 * A span of a report's text: {@code text.substring(start, end)} is {@link #text()}.
 *
 * @param kind an identifier to mask or clinical text to keep
 * @param tags how it was written ("caps", "apostrophe", "after_discussed_with", "iso", ...), so a
 *             measurement can break recall down by form
 */
public record GoldSpan(int start, int end, PhiKind kind, List<String> tags, String text) {
    public GoldSpan {
        if (start < 0 || end <= start || text.length() != end - start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end + " for '" + text + "'");
        }
        tags = List.copyOf(tags);
    }
}
