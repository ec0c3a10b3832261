package org.cxr.label.eval;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cxr.events.Observation;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;

/**
 * A labels CSV in CheXpert format: an id column, optionally a text column, and the 14 label
 * columns with 1 / 0 / -1 / blank (1.0 / 0.0 / -1.0 and "nan" too). Label headers are matched
 * without regard to case, spaces, underscores and punctuation; "Airspace Opacity" (the CheXpert
 * paper's name) is Lung Opacity, and an abbreviation that starts one column name only
 * ("Enlarged Cardiom.") is that column.
 */
public final class GoldCsv {
    /** One row: its id, its text (null when no text column was asked for) and its labels. */
    public record Row(String id, String text, LabelledRow labels) {
    }

    private static final Map<String, Observation> ALIASES = Map.of("airspaceopacity", Observation.LUNG_OPACITY);
    /** the shortest abbreviation accepted as the start of a column name */
    private static final int MIN_PREFIX = 6;

    private GoldCsv() {
    }

    public static List<Row> read(Path csv, String idColumn, String textColumn) {
        try (Reader r = Csv.open(csv); CSVParser parser = Csv.HEADED.parse(r)) {
            List<String> headers = parser.getHeaderNames();
            for (String required : textColumn == null ? List.of(idColumn) : List.of(idColumn, textColumn)) {
                if (!headers.contains(required)) {
                    throw new IllegalArgumentException("no column '" + required + "' in " + csv + " (columns: " + headers + ")");
                }
            }
            Map<Observation, String> columns = labelColumns(headers, csv.toString());
            List<Row> out = new ArrayList<>();
            for (CSVRecord rec : parser) {
                LabelCell[] cells = new LabelCell[Observation.all().size()];
                for (Observation o : Observation.all()) {
                    String cell = rec.get(columns.get(o));
                    try {
                        cells[o.ordinal()] = LabelCell.parse(cell.strip().equalsIgnoreCase("nan") ? "" : cell);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(csv + " line " + rec.getRecordNumber() + ", " + columns.get(o) + ": " + e.getMessage(), e);
                    }
                }
                out.add(new Row(rec.get(idColumn), textColumn == null ? null : rec.get(textColumn), LabelledRow.of(cells)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which header holds each observation; every observation needs exactly one. */
    static Map<Observation, String> labelColumns(List<String> headers, String where) {
        Map<Observation, String> out = new EnumMap<>(Observation.class);
        for (String h : headers) {
            Observation o = observation(h);
            if (o == null) {
                continue;
            }
            String before = out.put(o, h);
            if (before != null) {
                throw new IllegalArgumentException(where + ": columns '" + before + "' and '" + h + "' are both " + o.column());
            }
        }
        if (out.size() < Observation.all().size()) {
            List<String> missing = Observation.all().stream().filter(o -> !out.containsKey(o)).map(Observation::column).toList();
            throw new IllegalArgumentException(where + ": no column for " + missing + " (columns: " + headers + ")");
        }
        return out;
    }

    /** The observation a header names, or null for other columns. */
    static Observation observation(String header) {
        String key = key(header);
        if (key.isEmpty()) {
            return null;
        }
        Observation alias = ALIASES.get(key);
        if (alias != null) {
            return alias;
        }
        Observation prefixOf = null;
        for (Observation o : Observation.all()) {
            String name = key(o.column());
            if (name.equals(key)) {
                return o;
            }
            if (key.length() >= MIN_PREFIX && name.startsWith(key)) {
                if (prefixOf != null) {
                    return null; // ambiguous abbreviation
                }
                prefixOf = o;
            }
        }
        return prefixOf;
    }

    private static String key(String header) {
        StringBuilder sb = new StringBuilder();
        for (char c : header.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
