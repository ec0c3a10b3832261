package org.cxr.catalog.domain.indexing;

/**
 * A record as read from a topic, before decoding.
 *
 * @param ceId the CloudEvents id header, or null when absent
 */
public record RawEvent(String topic, String key, String value, String ceId, int partition, long offset) {
    public static RawEvent of(String topic, String key, String value) {
        return new RawEvent(topic, key, value, null, -1, -1);
    }
}
