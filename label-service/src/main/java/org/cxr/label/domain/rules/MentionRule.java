package org.cxr.label.domain.rules;

import java.util.List;

/**
 * One phrase of mentions.txt. target is the Observation ordinal, or {@link #OTHER} for the other
 * abnormal findings that block No Finding in the CheXpert style.
 */
public record MentionRule(int target, MentionKind kind, List<String> tokens, String source) {
    public static final int OTHER = 14;
}
