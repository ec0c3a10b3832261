package org.cxr.catalog.domain.query;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.cxr.catalog.domain.split.Split;
import org.cxr.events.StudyState;

/**
 * Study-level conditions; empty sets and nulls mean "any". All conditions must hold.
 *
 * @param views the study has a converted image with one of these ViewPositions (case-insensitive)
 * @param from earliest study date, inclusive (studies without a date never match a date bound)
 * @param to latest study date, inclusive
 */
public record StudyFilter(Set<StudyState> states, Set<Split> splits, LocalDate from, LocalDate to, Set<String> views,
        Integer subjectId, List<LabelCondition> labels) {

    public static StudyFilter any() {
        return new StudyFilter(Set.of(), Set.of(), null, null, Set.of(), null, List.of());
    }

    public StudyFilter {
        states = Set.copyOf(states);
        splits = Set.copyOf(splits);
        views = Set.copyOf(views);
        labels = List.copyOf(labels);
    }
}
