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
 * refused (a typo must not silently widen a query). Every refusal names the parameter.
 */
final class FilterParams {
    static final String LABEL_PREFIX = "label.";
    static final Set<String> STUDY_PARAMS = Set.of("view", "split", "state", "from", "to", "subject", "page", "size");
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
            throw CatalogException.badParameter(name, "unknown parameter '" + name + "'; known: "
                    + String.join(", ", new TreeSet<>(allowed))
                    + (labels ? ", label.<chexpert|negbio>.<observation>" : ""));
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
            throw CatalogException.badParameter("page", "page must be >= 0, got " + p);
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
            throw CatalogException.badParameter("size", "size must be between 1 and " + max + ", got " + s);
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
            throw CatalogException.badParameter(name, e.getMessage());
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
                throw CatalogException.badParameter(name,
                        "label filters are named label.<labeler>.<observation>, e.g. label.chexpert.Edema=1");
            }
            Labeler labeler;
            Observation observation;
            try {
                labeler = Labeler.of(rest.substring(0, dot));
            } catch (IllegalArgumentException x) {
                throw CatalogException.badParameter(name, x.getMessage());
            }
            try {
                observation = LabelCondition.observation(rest.substring(dot + 1));
            } catch (IllegalArgumentException x) {
                throw CatalogException.badParameter(name, x.getMessage() + "; observations: "
                        + String.join(", ", Arrays.stream(Observation.values()).map(Observation::column).toList()));
            }
            Set<StudyLabelValue> values = EnumSet.noneOf(StudyLabelValue.class);
            for (String item : items(name)) {
                try {
                    values.add(StudyLabelValue.parse(item));
                } catch (IllegalArgumentException x) {
                    throw CatalogException.badParameter(name, x.getMessage());
                }
            }
            if (values.isEmpty()) {
                throw CatalogException.badParameter(name, name + " needs a value: 1, 0, -1 or empty");
            }
            out.add(new LabelCondition(labeler, observation, values));
        }
        return out;
    }

    private Set<String> views() {
        Set<String> out = new LinkedHashSet<>();
        for (String v : items("view")) {
            if (!VIEW.matcher(v).matches()) {
                throw CatalogException.badParameter("view", "view must be a ViewPosition such as PA, AP, LATERAL or LL,"
                        + " got '" + v + "'");
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
            throw CatalogException.badParameter("subject", "subject must be a subject_id (8 digits, 1xxxxxxx), got '"
                    + v + "'");
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
            throw CatalogException.badParameter(name, name + " must be a date yyyy-MM-dd, got '" + v + "'");
        }
    }

    private <E extends Enum<E>> Set<E> enums(String name, Function<String, E> parse, Class<E> type, String expected) {
        Set<E> out = EnumSet.noneOf(type);
        for (String v : items(name)) {
            try {
                out.add(parse.apply(v));
            } catch (IllegalArgumentException e) {
                throw CatalogException.badParameter(name, name + " must be " + expected + ", got '" + v + "'");
            }
        }
        return out;
    }

    private List<String> items(String name) {
        List<String> out = new ArrayList<>();
        List<String> values = q.get(name);
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw CatalogException.badParameter(name, name + " has an empty value");
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
            throw CatalogException.badParameter(name, name + " must be an integer, got '" + v + "'");
        }
    }
}
