package org.cxr.events;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One mention of an observation that a labeler kept, for highlighting the report: characters
 * [start, end) of the event's {@code sectionText}, and what the CheXpert-style labeler decided
 * about this mention (1.0 positive, 0.0 negative, -1.0 uncertain). {@code negbio} is the
 * NegBio-style decision where it differs ("no new X"), otherwise null and not written.
 *
 * @param observation the column name, e.g. {@code Pleural Effusion}
 */
public record MentionSpan(
        String observation,
        int start,
        int end,
        double value,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double negbio) {

    private static final Set<Double> VALUES = Set.of(1.0, 0.0, -1.0);

    public MentionSpan {
        if (Observation.ofColumn(observation) == Observation.NO_FINDING) {
            throw new IllegalArgumentException("No Finding has no mentions");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("mention span must be 0 <= start < end, got [" + start + ", " + end + ")");
        }
        if (!VALUES.contains(value) || (negbio != null && !VALUES.contains(negbio))) {
            throw new IllegalArgumentException(observation + ": mention value must be 1.0, 0.0 or -1.0");
        }
    }
}
