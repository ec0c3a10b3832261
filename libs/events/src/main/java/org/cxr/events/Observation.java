package org.cxr.events;

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

    private final String column;

    Observation(String column) {
        this.column = column;
    }

    /** The CSV column name. */
    public String column() {
        return column;
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
