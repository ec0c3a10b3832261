package org.cxr.catalog.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;

import org.cxr.catalog.domain.query.ImageFilter;
import org.cxr.catalog.domain.query.LabelCondition;
import org.cxr.catalog.domain.query.Labeler;
import org.cxr.catalog.domain.query.StudyFilter;
import org.cxr.catalog.domain.query.StudyLabelValue;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.state.ImageStatus;
import org.cxr.catalog.service.CatalogException;
import org.cxr.events.Ids;
import org.cxr.events.Observation;
import org.cxr.events.StudyState;

/**
 * Parses and validates query parameters into filters. Lists are comma-separated and/or repeated
 * ({@code split=train,validate} = {@code split=train&split=validate}). Unknown parameters are
 * refused (a typo must not silently widen a query). Every refusal names the parameter by our own
 * name for it and says what is expected, but never repeats what was sent: a value (or an unknown
 * name) may be a patient's name or MRN typed into the wrong box, and error bodies get logged.
 */
final class FilterParams {
    static final String LABEL_PREFIX = "label.";
    static final Set<String> STUDY_PARAMS = Set.of("view", "split", "state", "from", "to", "subject", "page", "size");
    /** Every query parameter name the catalog's API uses: a refusal may repeat these. */
    private static final Set<String> OUR_NAMES = Set.of("view", "split", "state", "from", "to", "subject", "page",
            "size", "status", "labeler", "window", "stage", "reason");
    /** The parameter a refusal names when the name sent is not one of ours. */
    static final String UNKNOWN = "(unknown)";
    static final String LABEL_FILTER = "label.<labeler>.<observation>";
    private static final Pattern VIEW = Pattern.compile("[A-Za-z0-9 _\\-]{1,64}");

    private final MultivaluedMap<String, String> q;

    FilterParams(MultivaluedMap<String, String> query) {
        this.q = query;
    }

    /** Refuses any parameter not in {@code allowed} and not a label filter (when labels are allowed). */
    FilterParams only(Set<String> allowed, boolean labels) {
        for (String name : q.keySet()) {
            if (allowed.contains(name) || labels && name.startsWith(LABEL_PREFIX)) {
                continue;
            }
            boolean ours = OUR_NAMES.contains(name);
            String known = new TreeSet<>(allowed).stream().reduce((a, b) -> a + ", " + b).orElse("")
                    + (labels ? ", label.<chexpert|negbio>.<observation>" : "");
            throw CatalogException.badParameter(ours ? name : UNKNOWN,
                    (ours ? name + " is not a parameter of this operation" : "unknown parameter (its name is not repeated)")
                    + (known.isEmpty() ? "; this operation takes none" : "; known here: " + known));
        }
        return this;
    }

    StudyFilter study() {
        return new StudyFilter(enums("state", s -> StudyState.valueOf(s.toUpperCase(Locale.ROOT)), StudyState.class,
                "one of RECEIVED, CONVERTED, LABELLED, COMPLETE, FAILED"),
                enums("split", Split::of, Split.class, "one of train, validate, test"),
                date("from"), date("to"), views(), subject(), labels());
    }

    ImageFilter image() {
        StudyFilter s = study();
        StudyFilter withoutViews = new StudyFilter(s.states(), s.splits(), s.from(), s.to(), Set.of(), s.subjectId(),
                s.labels());
        return new ImageFilter(withoutViews, s.views(), enums("status",
                x -> ImageStatus.valueOf(x.toUpperCase(Locale.ROOT)), ImageStatus.class,
                "one of PENDING, CONVERTED, FAILED"));
    }

    int page() {
        String v = single("page");
        if (v == null) {
            return 0;
        }
        int p = integer("page", v);
        if (p < 0) {
            throw CatalogException.badParameter("page", "page must be >= 0");
        }
        return p;
    }

    int size(int defaultSize, int max) {
        String v = single("size");
        if (v == null) {
            return defaultSize;
        }
        int s = integer("size", v);
        if (s < 1 || s > max) {
            throw CatalogException.badParameter("size", "size must be between 1 and " + max);
        }
        return s;
    }

    /** (page+1)*size must stay an int-sized offset. */
    static void checkWindow(int page, int size) {
        if ((long) page * size > Integer.MAX_VALUE) {
            throw CatalogException.badParameter("page", "page * size is too large");
        }
    }

    Labeler labeler(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return Labeler.of(v.strip());
        } catch (IllegalArgumentException e) {
            throw CatalogException.badParameter(name, name + " must be chexpert or negbio");
        }
    }

    private List<LabelCondition> labels() {
        List<LabelCondition> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : q.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(LABEL_PREFIX)) {
                continue;
            }
            String rest = name.substring(LABEL_PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot < 0) {
                throw CatalogException.badParameter(LABEL_FILTER,
                        "label filters are named label.<labeler>.<observation>, e.g. label.chexpert.Edema=1");
            }
            Labeler labeler;
            Observation observation;
            try {
                labeler = Labeler.of(rest.substring(0, dot));
            } catch (IllegalArgumentException x) {
                throw CatalogException.badParameter(LABEL_FILTER, "a label filter names an unknown labeler;"
                        + " labelers: chexpert, negbio");
            }
            try {
                observation = LabelCondition.observation(rest.substring(dot + 1));
            } catch (IllegalArgumentException x) {
                throw CatalogException.badParameter(LABEL_FILTER, "a label filter names an unknown observation;"
                        + " observations: "
                        + String.join(", ", Arrays.stream(Observation.values()).map(Observation::column).toList()));
            }
            // from here on the refusals name the filter in its canonical spelling, never as sent
            String canonical = LABEL_PREFIX + labeler.value() + "." + observation.column();
            Set<StudyLabelValue> values = EnumSet.noneOf(StudyLabelValue.class);
            for (String item : items(name, canonical)) {
                try {
                    values.add(StudyLabelValue.parse(item));
                } catch (IllegalArgumentException x) {
                    throw CatalogException.badParameter(canonical, canonical + " must be 1, 0, -1 or empty");
                }
            }
            if (values.isEmpty()) {
                throw CatalogException.badParameter(canonical, canonical + " needs a value: 1, 0, -1 or empty");
            }
            out.add(new LabelCondition(labeler, observation, values));
        }
        return out;
    }

    private Set<String> views() {
        Set<String> out = new LinkedHashSet<>();
        for (String v : items("view")) {
            if (!VIEW.matcher(v).matches()) {
                throw CatalogException.badParameter("view", "view must be a ViewPosition such as PA, AP, LATERAL or LL");
            }
            out.add(v.toUpperCase(Locale.ROOT));
        }
        return out;
    }

    private Integer subject() {
        String v = single("subject");
        if (v == null) {
            return null;
        }
        if (!Ids.isSubjectId(v.strip())) {
            throw CatalogException.badParameter("subject", "subject must be a subject_id (8 digits, 1xxxxxxx)");
        }
        return Integer.parseInt(v.strip());
    }

    private LocalDate date(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw CatalogException.badParameter(name, name + " must be a date yyyy-MM-dd");
        }
    }

    private <E extends Enum<E>> Set<E> enums(String name, Function<String, E> parse, Class<E> type, String expected) {
        Set<E> out = EnumSet.noneOf(type);
        for (String v : items(name)) {
            try {
                out.add(parse.apply(v));
            } catch (IllegalArgumentException e) {
                throw CatalogException.badParameter(name, name + " must be " + expected);
            }
        }
        return out;
    }

    private List<String> items(String name) {
        return items(name, name);
    }

    /** The values of parameter {@code name}; refusals call it {@code shown}. */
    private List<String> items(String name, String shown) {
        List<String> out = new ArrayList<>();
        List<String> values = q.get(name);
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw CatalogException.badParameter(shown, shown + " has an empty value");
                }
                out.add(p);
            }
        }
        return out;
    }

    private String single(String name) {
        List<String> values = q.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw CatalogException.badParameter(name, name + " must be given once");
        }
        if (values.get(0).isBlank()) {
            throw CatalogException.badParameter(name, name + " has an empty value");
        }
        return values.get(0);
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw CatalogException.badParameter(name, name + " must be an integer");
        }
    }
}
