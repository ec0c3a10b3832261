package org.cxr.events;

import java.util.List;

/** The 14 label columns of the published label files, in their published order and spelling. */
public enum Observation {
    ATELECTASIS("Atelectasis"),
    CARDIOMEGALY("Cardiomegaly"),
    CONSOLIDATION("Consolidation"),
    EDEMA("Edema"),
    ENLARGED_CARDIOMEDIASTINUM("Enlarged Cardiomediastinum"),
    FRACTURE("Fracture"),
    LUNG_LESION("Lung Lesion"),
    LUNG_OPACITY("Lung Opacity"),
    NO_FINDING("No Finding"),
    PLEURAL_EFFUSION("Pleural Effusion"),
    PLEURAL_OTHER("Pleural Other"),
    PNEUMONIA("Pneumonia"),
    PNEUMOTHORAX("Pneumothorax"),
    SUPPORT_DEVICES("Support Devices");

    private static final List<Observation> ALL = List.of(values());
    private static final List<String> COLUMNS = ALL.stream().map(Observation::column).toList();

    private final String column;

    Observation(String column) {
        this.column = column;
    }

    /** The CSV column name. */
    public String column() {
        return column;
    }

    /** All 14, in the published column order. */
    public static List<Observation> all() {
        return ALL;
    }

    /** The 14 column names, in the published order. */
    public static List<String> columns() {
        return COLUMNS;
    }

    /** The observation of a published column name; null when unknown. */
    public static Observation byColumn(String name) {
        for (Observation o : ALL) {
            if (o.column.equals(name)) {
                return o;
            }
        }
        return null;
    }

    public static Observation ofColumn(String column) {
        for (Observation o : values()) {
            if (o.column.equals(column)) {
                return o;
            }
        }
        throw new IllegalArgumentException("not a label column: " + column);
    }
}
