package org.cxr.catalog.domain.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.domain.query.ImageFilter;
import org.cxr.catalog.domain.query.LabelCondition;
import org.cxr.catalog.domain.query.StudyLabelValue;
import org.cxr.catalog.domain.query.Labeler;
import org.cxr.catalog.domain.query.StudyFilter;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.state.ImageStatus;
import org.cxr.events.Observation;
import org.cxr.events.StudyState;
import org.junit.jupiter.api.Test;

class FilterIndexTest {

    static StudyLabelValue[] labels(StudyLabelValue edema, StudyLabelValue noFinding) {
        StudyLabelValue[] v = new StudyLabelValue[14];
        Arrays.fill(v, StudyLabelValue.EMPTY);
        v[Observation.EDEMA.ordinal()] = edema;
        v[Observation.NO_FINDING.ordinal()] = noFinding;
        return v;
    }

    static FilterIndex.StudyRow row(int subject, int study, StudyState state, Split split, StudyLabelValue edema,
            String... views) {
        List<FilterIndex.ImageRow> images = new ArrayList<>();
        for (String v : views) {
            images.add(new FilterIndex.ImageRow(v, ImageStatus.CONVERTED));
        }
        return new FilterIndex.StudyRow(study, subject, state, split, LocalDate.of(2180, 1, 1).plusDays(study % 100),
                true, views.length, views.length, 0, edema == null ? null : labels(edema, StudyLabelValue.EMPTY),
                edema == null ? null : labels(StudyLabelValue.EMPTY, StudyLabelValue.POSITIVE), images,
                state == StudyState.FAILED ? "MULTI_FRAME" : null);
    }

    static StudyFilter filter(Set<StudyState> states, Set<Split> splits, Set<String> views, List<LabelCondition> labels) {
        return new StudyFilter(states, splits, null, null, views, null, labels);
    }

    @Test
    void filtersPagesAndTotalsInDatasetOrder() {
        FilterIndex index = new FilterIndex();
        // inserted out of order, in two deltas
        index.apply(List.of(row(10000003, 50000009, StudyState.COMPLETE, Split.TRAIN, StudyLabelValue.POSITIVE, "PA", "LATERAL"),
                row(10000001, 50000005, StudyState.COMPLETE, Split.TEST, StudyLabelValue.UNCERTAIN, "AP")), 5);
        index.apply(List.of(row(10000002, 50000001, StudyState.LABELLED, Split.TRAIN, StudyLabelValue.POSITIVE, "PA"),
                row(10000001, 50000002, StudyState.RECEIVED, Split.TEST, null)), 9);
        assertThat(index.highSeq()).isEqualTo(9);
        var all = index.studies(StudyFilter.any(), 0, 10);
        assertThat(all.total()).isEqualTo(4);
        assertThat(all.items()).extracting(FilterIndex.IndexedStudy::studyId)
                .containsExactly(50000002, 50000005, 50000001, 50000009);

        var edema = new LabelCondition(Labeler.CHEXPERT, Observation.EDEMA, EnumSet.of(StudyLabelValue.POSITIVE));
        assertThat(index.studies(filter(Set.of(), Set.of(), Set.of(), List.of(edema)), 0, 10).items())
                .extracting(FilterIndex.IndexedStudy::studyId).containsExactly(50000001, 50000009);
        assertThat(index.studies(filter(Set.of(StudyState.COMPLETE), Set.of(Split.TRAIN), Set.of("pa"), List.of(edema)),
                0, 10).total()).isEqualTo(1);
        var uncertainOrPositive = new LabelCondition(Labeler.CHEXPERT, Observation.EDEMA,
                EnumSet.of(StudyLabelValue.POSITIVE, StudyLabelValue.UNCERTAIN));
        var page = index.studies(filter(Set.of(), Set.of(), Set.of(), List.of(uncertainOrPositive)), 1, 2);
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(FilterIndex.IndexedStudy::studyId).containsExactly(50000009);
        // negbio No Finding positive on every labelled study
        var nf = new LabelCondition(Labeler.NEGBIO, Observation.NO_FINDING, EnumSet.of(StudyLabelValue.POSITIVE));
        assertThat(index.studies(filter(Set.of(), Set.of(), Set.of(), List.of(nf)), 0, 10).total()).isEqualTo(3);
        // an unknown view matches nothing
        assertThat(index.studies(filter(Set.of(), Set.of(), Set.of("SWIMMERS"), List.of()), 0, 10).total()).isZero();
        // date range
        assertThat(index.studies(new StudyFilter(Set.of(), Set.of(), LocalDate.of(2180, 1, 3), LocalDate.of(2180, 1, 6),
                Set.of(), null, List.of()), 0, 10).items()).extracting(FilterIndex.IndexedStudy::studyId)
                .containsExactly(50000002, 50000005);
    }

    @Test
    void updatesReplaceInPlace() {
        FilterIndex index = new FilterIndex();
        index.apply(List.of(row(10000001, 50000001, StudyState.LABELLED, Split.TRAIN, StudyLabelValue.POSITIVE, "PA")), 1);
        index.apply(List.of(row(10000001, 50000001, StudyState.COMPLETE, Split.TEST, StudyLabelValue.NEGATIVE, "PA", "LL")), 2);
        assertThat(index.size()).isEqualTo(1);
        var s = index.studies(StudyFilter.any(), 0, 10).items().get(0);
        assertThat(s.state()).isEqualTo(StudyState.COMPLETE);
        assertThat(s.split()).isEqualTo(Split.TEST);
        assertThat(s.viewPositions()).containsExactly("LL", "PA");
        assertThat(s.failureReason()).isNull();
        index.apply(List.of(row(10000001, 50000001, StudyState.FAILED, Split.TEST, null)), 3);
        assertThat(index.studies(StudyFilter.any(), 0, 10).items().get(0).failureReason()).isEqualTo("MULTI_FRAME");
        index.reset("new-epoch");
        assertThat(index.size()).isZero();
        assertThat(index.highSeq()).isZero();
    }

    @Test
    void imagePagesSpanStudies() {
        FilterIndex index = new FilterIndex();
        index.apply(List.of(row(10000001, 50000001, StudyState.COMPLETE, Split.TRAIN, StudyLabelValue.POSITIVE, "PA", "LATERAL", "PA"),
                row(10000002, 50000002, StudyState.COMPLETE, Split.TRAIN, StudyLabelValue.POSITIVE, "PA", "AP")), 1);
        var all = index.images(new ImageFilter(StudyFilter.any(), Set.of(), Set.of()), 0, 4);
        assertThat(all.total()).isEqualTo(5);
        assertThat(all.slices()).containsExactly(new FilterIndex.ImageSlice(50000001, 10000001, 0, 3),
                new FilterIndex.ImageSlice(50000002, 10000002, 0, 1));
        var pa = index.images(new ImageFilter(StudyFilter.any(), Set.of("PA"), Set.of(ImageStatus.CONVERTED)), 1, 2);
        assertThat(pa.total()).isEqualTo(3);
        assertThat(pa.slices()).containsExactly(new FilterIndex.ImageSlice(50000002, 10000002, 0, 1));
    }

    @Test
    void statistics() {
        FilterIndex index = new FilterIndex();
        index.apply(List.of(row(10000001, 50000001, StudyState.COMPLETE, Split.TRAIN, StudyLabelValue.POSITIVE, "PA"),
                row(10000001, 50000002, StudyState.COMPLETE, Split.TRAIN, StudyLabelValue.NEGATIVE, "PA"),
                row(10000002, 50000003, StudyState.RECEIVED, Split.TEST, null)), 3);
        var s = index.labelStats(StudyFilter.any(), Labeler.CHEXPERT);
        assertThat(s.studies()).isEqualTo(3);
        assertThat(s.labelledStudies()).isEqualTo(2);
        assertThat(s.counts().get(Observation.EDEMA).get(StudyLabelValue.POSITIVE)).isEqualTo(1);
        assertThat(s.counts().get(Observation.EDEMA).get(StudyLabelValue.NEGATIVE)).isEqualTo(1);
        assertThat(s.counts().get(Observation.ATELECTASIS).get(StudyLabelValue.EMPTY)).isEqualTo(2);
        var st = index.stateStats();
        assertThat(st.studiesByState().get(StudyState.COMPLETE)).isEqualTo(2);
        assertThat(st.subjectsBySplit().get(Split.TRAIN)).isEqualTo(1);
        assertThat(st.subjectsBySplit().get(Split.TEST)).isEqualTo(1);
        assertThat(st.imagesByStatus().get(ImageStatus.CONVERTED)).isEqualTo(2);
    }
}
