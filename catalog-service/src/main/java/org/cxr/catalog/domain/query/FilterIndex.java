package org.cxr.catalog.domain.query;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.state.ImageStatus;
import org.cxr.events.Observation;
import org.cxr.events.StudyState;

/**
 * The catalog's query read model: every study's filterable attributes in compact columnar arrays
 * sorted by (subject_id, study_id), so that any combination of filters is one linear scan (about a
 * millisecond for MIMIC's 227,827 studies) giving an exact total and a page in dataset order.
 * Per study it keeps 2 bits per label value per labeler and one byte per image (view code and
 * status), about 60 bytes per study in all.
 *
 * <p>It is fed by the repository with the rows that changed since {@link #highSeq()} (the catalog's
 * change sequence), so it never holds anything that is not in the database. Thread-safe.
 */
public final class FilterIndex {
    private static final int HAS_ROW = 1 << 30;
    private static final long SUBJECT_FACTOR = 100_000_000L;
    private static final int NO_DATE = Integer.MIN_VALUE;
    private static final int MAX_VIEW_CODES = 64;
    private static final StudyState[] STATES = StudyState.values();
    private static final Split[] SPLITS = Split.values();
    private static final ImageStatus[] IMAGE_STATUSES = ImageStatus.values();
    private static final Observation[] OBSERVATIONS = Observation.values();

    /** One image of a study as the index keeps it (in dicom_id order within the study). */
    public record ImageRow(String viewPosition, ImageStatus status) {
    }

    /**
     * One study as read from the catalog.
     *
     * @param chexpert the 14 values in column order, or null when the study has no chexpert row
     */
    public record StudyRow(int studyId, int subjectId, StudyState state, Split split, LocalDate studyDate,
            boolean labelled, int imagesKnown, int imagesConverted, int imagesFailed, StudyLabelValue[] chexpert,
            StudyLabelValue[] negbio, List<ImageRow> images, String failureReason) {
    }

    /** What a study query returns per study. */
    public record IndexedStudy(int studyId, int subjectId, StudyState state, Split split, LocalDate studyDate,
            boolean labelled, int imagesKnown, int imagesConverted, int imagesFailed, List<String> viewPositions,
            String failureReason) {
    }

    public record StudyPage(long total, List<IndexedStudy> items) {
    }

    /** The matching images number {@code skip .. skip+take-1} (in dicom_id order) of a study. */
    public record ImageSlice(int studyId, int subjectId, int skip, int take) {
    }

    public record ImagePage(long total, List<ImageSlice> slices) {
    }

    /** Counts per observation and value among matching studies that have a row of this labeler. */
    public record LabelStats(Labeler labeler, long studies, long labelledStudies,
            Map<Observation, Map<StudyLabelValue, Long>> counts) {
    }

    public record StateStats(long studies, Map<StudyState, Long> studiesByState, Map<ImageStatus, Long> imagesByStatus,
            Map<Split, Long> subjectsBySplit, Map<Split, Long> studiesBySplit) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private int n;
    private long[] keys = new long[0];
    private int[] studyIds = new int[0];
    private int[] subjectIds = new int[0];
    private byte[] states = new byte[0];
    private byte[] splits = new byte[0];
    private int[] dates = new int[0];
    private boolean[] labelled = new boolean[0];
    private int[] known = new int[0];
    private int[] converted = new int[0];
    private int[] failed = new int[0];
    private int[] chexpert = new int[0];
    private int[] negbio = new int[0];
    private byte[][] images = new byte[0][];
    private byte[] reasons = new byte[0];
    private final Map<String, Integer> reasonCodes = new HashMap<>();
    private final List<String> reasonNames = new ArrayList<>(Arrays.asList((String) null));
    private final Map<String, Integer> viewCodes = new HashMap<>();
    private final List<String> viewNames = new ArrayList<>(List.of(""));
    private long highSeq;
    private String epoch;

    /** The highest change sequence number applied (0 when empty). */
    public long highSeq() {
        lock.readLock().lock();
        try {
            return highSeq;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The catalog epoch the content belongs to (null before the first load). */
    public String epoch() {
        lock.readLock().lock();
        try {
            return epoch;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forgets everything (the catalog was emptied or rebuilt) and starts a new epoch. */
    public void reset(String newEpoch) {
        lock.writeLock().lock();
        try {
            n = 0;
            highSeq = 0;
            epoch = newEpoch;
            ensureCapacity(0);
            Arrays.fill(images, null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds or replaces studies and records the change sequence they were read at. */
    public void apply(List<StudyRow> rows, long upToSeq) {
        lock.writeLock().lock();
        try {
            List<StudyRow> added = new ArrayList<>();
            for (StudyRow r : rows) {
                int slot = Arrays.binarySearch(keys, 0, n, key(r.subjectId(), r.studyId()));
                if (slot >= 0) {
                    write(slot, r);
                } else {
                    added.add(r);
                }
            }
            if (!added.isEmpty()) {
                insert(added);
            }
            highSeq = Math.max(highSeq, upToSeq);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public StudyPage studies(StudyFilter filter, int page, int size) {
        lock.readLock().lock();
        try {
            Compiled c = compile(filter, Set0.STUDY_VIEWS);
            long offset = (long) page * size;
            long total = 0;
            List<IndexedStudy> items = new ArrayList<>(Math.min(size, 1024));
            for (int i = 0; i < n; i++) {
                if (c.matches(i)) {
                    if (total >= offset && items.size() < size) {
                        items.add(summary(i));
                    }
                    total++;
                }
            }
            return new StudyPage(total, items);
        } finally {
            lock.readLock().unlock();
        }
    }

    public ImagePage images(ImageFilter filter, int page, int size) {
        lock.readLock().lock();
        try {
            Compiled c = compile(filter.study(), Set0.NO_STUDY_VIEWS);
            long viewMask = viewMask(filter.views());
            boolean anyView = filter.views().isEmpty();
            int statusMask = 0;
            for (ImageStatus s : filter.statuses()) {
                statusMask |= 1 << s.ordinal();
            }
            if (statusMask == 0) {
                statusMask = 0b111;
            }
            long offset = (long) page * size;
            long end = offset + size;
            long total = 0;
            List<ImageSlice> slices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!c.matches(i)) {
                    continue;
                }
                int matching = 0;
                for (byte b : images[i]) {
                    int status = b & 3;
                    int view = (b & 0xff) >>> 2;
                    if ((statusMask >>> status & 1) != 0 && (anyView || (viewMask >>> view & 1L) != 0)) {
                        matching++;
                    }
                }
                if (matching == 0) {
                    continue;
                }
                long first = Math.max(total, offset);
                long last = Math.min(total + matching, end);
                if (first < last) {
                    slices.add(new ImageSlice(studyIds[i], subjectIds[i], (int) (first - total), (int) (last - first)));
                }
                total += matching;
            }
            return new ImagePage(total, slices);
        } finally {
            lock.readLock().unlock();
        }
    }

    public LabelStats labelStats(StudyFilter filter, Labeler labeler) {
        lock.readLock().lock();
        try {
            Compiled c = compile(filter, Set0.STUDY_VIEWS);
            long[][] counts = new long[OBSERVATIONS.length][4];
            long studies = 0;
            long withRow = 0;
            int[] packed = labeler == Labeler.CHEXPERT ? chexpert : negbio;
            for (int i = 0; i < n; i++) {
                if (!c.matches(i)) {
                    continue;
                }
                studies++;
                int p = packed[i];
                if ((p & HAS_ROW) == 0) {
                    continue;
                }
                withRow++;
                for (int o = 0; o < OBSERVATIONS.length; o++) {
                    counts[o][(p >>> (2 * o)) & 3]++;
                }
            }
            Map<Observation, Map<StudyLabelValue, Long>> out = new EnumMap<>(Observation.class);
            for (int o = 0; o < OBSERVATIONS.length; o++) {
                Map<StudyLabelValue, Long> m = new EnumMap<>(StudyLabelValue.class);
                for (StudyLabelValue v : StudyLabelValue.values()) {
                    m.put(v, counts[o][v.code()]);
                }
                out.put(OBSERVATIONS[o], m);
            }
            return new LabelStats(labeler, studies, withRow, out);
        } finally {
            lock.readLock().unlock();
        }
    }

    public StateStats stateStats() {
        lock.readLock().lock();
        try {
            Map<StudyState, Long> byState = new EnumMap<>(StudyState.class);
            for (StudyState s : STATES) {
                byState.put(s, 0L);
            }
            Map<ImageStatus, Long> byStatus = new EnumMap<>(ImageStatus.class);
            for (ImageStatus s : IMAGE_STATUSES) {
                byStatus.put(s, 0L);
            }
            Map<Split, Long> subjects = new EnumMap<>(Split.class);
            Map<Split, Long> studiesBySplit = new EnumMap<>(Split.class);
            for (Split s : SPLITS) {
                subjects.put(s, 0L);
                studiesBySplit.put(s, 0L);
            }
            for (int i = 0; i < n; i++) {
                byState.merge(STATES[states[i]], 1L, Long::sum);
                for (byte b : images[i]) {
                    byStatus.merge(IMAGE_STATUSES[b & 3], 1L, Long::sum);
                }
                if (splits[i] >= 0) {
                    Split sp = SPLITS[splits[i]];
                    studiesBySplit.merge(sp, 1L, Long::sum);
                    if (i == 0 || subjectIds[i - 1] != subjectIds[i]) {
                        subjects.merge(sp, 1L, Long::sum);
                    }
                }
            }
            return new StateStats(n, byState, byStatus, subjects, studiesBySplit);
        } finally {
            lock.readLock().unlock();
        }
    }

    // --- internals ------------------------------------------------------------------------

    private enum Set0 { STUDY_VIEWS, NO_STUDY_VIEWS }

    private final class Compiled {
        int stateMask;
        int splitMask;
        int dateFrom = Integer.MIN_VALUE + 1;
        int dateTo = Integer.MAX_VALUE;
        boolean dateBound;
        boolean viewFilter;
        long viewMask;
        int subject = -1;
        int[] labeler;
        int[] shift;
        int[] allowed;
        boolean impossible;

        boolean matches(int i) {
            if (impossible) {
                return false;
            }
            if (stateMask != 0 && (stateMask >>> states[i] & 1) == 0) {
                return false;
            }
            if (splitMask != 0 && (splits[i] < 0 || (splitMask >>> splits[i] & 1) == 0)) {
                return false;
            }
            if (subject >= 0 && subjectIds[i] != subject) {
                return false;
            }
            if (dateBound) {
                int d = dates[i];
                if (d == NO_DATE || d < dateFrom || d > dateTo) {
                    return false;
                }
            }
            for (int k = 0; k < labeler.length; k++) {
                int p = labeler[k] == 0 ? chexpert[i] : negbio[i];
                if ((p & HAS_ROW) == 0 || (allowed[k] >>> ((p >>> shift[k]) & 3) & 1) == 0) {
                    return false;
                }
            }
            if (viewFilter) {
                boolean any = false;
                for (byte b : images[i]) {
                    if ((b & 3) == ImageStatus.CONVERTED.ordinal() && (viewMask >>> ((b & 0xff) >>> 2) & 1L) != 0) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }

    private Compiled compile(StudyFilter f, Set0 views) {
        Compiled c = new Compiled();
        for (StudyState s : f.states()) {
            c.stateMask |= 1 << s.ordinal();
        }
        for (Split s : f.splits()) {
            c.splitMask |= 1 << s.ordinal();
        }
        if (f.from() != null || f.to() != null) {
            c.dateBound = true;
            if (f.from() != null) {
                c.dateFrom = (int) f.from().toEpochDay();
            }
            if (f.to() != null) {
                c.dateTo = (int) f.to().toEpochDay();
            }
        }
        if (f.subjectId() != null) {
            c.subject = f.subjectId();
        }
        if (views == Set0.STUDY_VIEWS && !f.views().isEmpty()) {
            c.viewFilter = true;
            c.viewMask = viewMask(f.views());
            c.impossible |= c.viewMask == 0;
        }
        int k = f.labels().size();
        c.labeler = new int[k];
        c.shift = new int[k];
        c.allowed = new int[k];
        for (int j = 0; j < k; j++) {
            LabelCondition lc = f.labels().get(j);
            c.labeler[j] = lc.labeler().ordinal();
            c.shift[j] = 2 * lc.observation().ordinal();
            for (StudyLabelValue v : lc.values()) {
                c.allowed[j] |= 1 << v.code();
            }
            c.impossible |= c.allowed[j] == 0;
        }
        return c;
    }

    private long viewMask(Set<String> views) {
        long mask = 0;
        for (String v : views) {
            Integer code = viewCodes.get(v.strip().toUpperCase(Locale.ROOT));
            if (code != null) {
                mask |= 1L << code;
            }
        }
        return mask;
    }

    private IndexedStudy summary(int i) {
        TreeSet<String> views = new TreeSet<>();
        for (byte b : images[i]) {
            int code = (b & 0xff) >>> 2;
            if ((b & 3) == ImageStatus.CONVERTED.ordinal() && code != 0) {
                views.add(viewNames.get(code));
            }
        }
        return new IndexedStudy(studyIds[i], subjectIds[i], STATES[states[i]], splits[i] < 0 ? null : SPLITS[splits[i]],
                dates[i] == NO_DATE ? null : LocalDate.ofEpochDay(dates[i]), labelled[i], known[i], converted[i],
                failed[i], List.copyOf(views), reasonNames.get(reasons[i] & 0xff));
    }

    private static long key(int subjectId, int studyId) {
        return subjectId * SUBJECT_FACTOR + studyId;
    }

    private void write(int slot, StudyRow r) {
        keys[slot] = key(r.subjectId(), r.studyId());
        studyIds[slot] = r.studyId();
        subjectIds[slot] = r.subjectId();
        states[slot] = (byte) r.state().ordinal();
        splits[slot] = (byte) (r.split() == null ? -1 : r.split().ordinal());
        dates[slot] = r.studyDate() == null ? NO_DATE : (int) r.studyDate().toEpochDay();
        labelled[slot] = r.labelled();
        known[slot] = r.imagesKnown();
        converted[slot] = r.imagesConverted();
        failed[slot] = r.imagesFailed();
        chexpert[slot] = pack(r.chexpert());
        negbio[slot] = pack(r.negbio());
        byte[] im = new byte[r.images().size()];
        for (int j = 0; j < im.length; j++) {
            ImageRow ir = r.images().get(j);
            int view = ir.status() == ImageStatus.CONVERTED ? viewCode(ir.viewPosition()) : 0;
            im[j] = (byte) (view << 2 | ir.status().ordinal());
        }
        images[slot] = im;
        reasons[slot] = (byte) reasonCode(r.failureReason());
    }

    private int reasonCode(String reason) {
        if (reason == null) {
            return 0;
        }
        return reasonCodes.computeIfAbsent(reason, k -> {
            if (reasonNames.size() > 255) {
                throw new IllegalStateException("more than 255 failure reasons");
            }
            reasonNames.add(k);
            return reasonNames.size() - 1;
        });
    }

    private int viewCode(String view) {
        String v = view == null ? "" : view.strip().toUpperCase(Locale.ROOT);
        Integer code = viewCodes.get(v);
        if (code == null) {
            if (v.isEmpty()) {
                code = 0;
            } else if (viewNames.size() < MAX_VIEW_CODES) {
                code = viewNames.size();
                viewNames.add(v);
            } else {
                code = MAX_VIEW_CODES - 1; // shares the last code: filters on such rare views over-match
            }
            viewCodes.put(v, code);
        }
        return code;
    }

    private static int pack(StudyLabelValue[] values) {
        if (values == null) {
            return 0;
        }
        int p = HAS_ROW;
        for (int o = 0; o < values.length; o++) {
            p |= values[o].code() << (2 * o);
        }
        return p;
    }

    private void insert(List<StudyRow> added) {
        added.sort(Comparator.comparingLong(r -> key(r.subjectId(), r.studyId())));
        // drop duplicates within the delta (last one wins)
        List<StudyRow> unique = new ArrayList<>(added.size());
        for (StudyRow r : added) {
            if (!unique.isEmpty() && key(unique.get(unique.size() - 1).subjectId(), unique.get(unique.size() - 1).studyId())
                    == key(r.subjectId(), r.studyId())) {
                unique.set(unique.size() - 1, r);
            } else {
                unique.add(r);
            }
        }
        int k = unique.size();
        ensureCapacity(n + k);
        int i = n - 1;
        int w = n + k - 1;
        for (int j = k - 1; j >= 0; j--) {
            long kj = key(unique.get(j).subjectId(), unique.get(j).studyId());
            while (i >= 0 && keys[i] > kj) {
                move(i--, w--);
            }
            write(w--, unique.get(j));
        }
        n += k;
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        studyIds[to] = studyIds[from];
        subjectIds[to] = subjectIds[from];
        states[to] = states[from];
        splits[to] = splits[from];
        dates[to] = dates[from];
        labelled[to] = labelled[from];
        known[to] = known[from];
        converted[to] = converted[from];
        failed[to] = failed[from];
        chexpert[to] = chexpert[from];
        negbio[to] = negbio[from];
        images[to] = images[from];
        reasons[to] = reasons[from];
    }

    private void ensureCapacity(int wanted) {
        if (wanted <= keys.length) {
            return;
        }
        int cap = Math.max(wanted, keys.length + (keys.length >> 1) + 16);
        keys = Arrays.copyOf(keys, cap);
        studyIds = Arrays.copyOf(studyIds, cap);
        subjectIds = Arrays.copyOf(subjectIds, cap);
        states = Arrays.copyOf(states, cap);
        splits = Arrays.copyOf(splits, cap);
        dates = Arrays.copyOf(dates, cap);
        labelled = Arrays.copyOf(labelled, cap);
        known = Arrays.copyOf(known, cap);
        converted = Arrays.copyOf(converted, cap);
        failed = Arrays.copyOf(failed, cap);
        chexpert = Arrays.copyOf(chexpert, cap);
        negbio = Arrays.copyOf(negbio, cap);
        images = Arrays.copyOf(images, cap);
        reasons = Arrays.copyOf(reasons, cap);
    }
}
