package org.cxr.label.domain;

import java.util.List;

/** The 14 label columns of MIMIC-CXR-JPG, in the published order and spelling. */
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

    /** The column name exactly as in the published CSV files. */
    public String column() {
        return column;
    }

    public static List<Observation> all() {
        return ALL;
    }

    public static List<String> columns() {
        return COLUMNS;
    }

    /** Looks up an observation by its published column name; null when unknown. */
    public static Observation byColumn(String name) {
        for (Observation o : ALL) {
            if (o.column.equals(name)) {
                return o;
            }
        }
        return null;
    }
}
