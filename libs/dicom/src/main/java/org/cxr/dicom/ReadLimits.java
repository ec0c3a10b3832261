package org.cxr.dicom;

/**
 * Bounds that keep reading bad or hostile input in bounded time and memory. Every declared length
 * is also checked against the bytes that remain before anything is allocated.
 *
 * @param maxDepth           sequence nesting depth
 * @param maxItems           items in one sequence
 * @param maxElements        elements in the whole file, all nesting levels
 * @param maxElementLength   length of one non-pixel value
 * @param maxFragments       fragments of encapsulated pixel data (and Basic Offset Table entries)
 * @param maxHeaderBytes     bytes read from a file to parse everything before the pixel data
 * @param maxInflatedBytes   size of a deflated dataset after inflation
 */
public record ReadLimits(int maxDepth, int maxItems, int maxElements, long maxElementLength, int maxFragments,
                         long maxHeaderBytes, long maxInflatedBytes) {
    public static final ReadLimits DEFAULT =
            new ReadLimits(32, 100_000, 1_000_000, 256L << 20, 1_000_000, 256L << 20, 1L << 30);
}
