package org.cxr.catalog.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

/** Test helpers on the catalog database. */
public final class CatalogDb {
    private CatalogDb() {
    }

    /** Empties the catalog (the same script operators use: db/reset-catalog.sql). */
    public static void reset(DataSource ds) throws Exception {
        String sql;
        try (var in = CatalogDb.class.getResourceAsStream("/db/reset-catalog.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Every row of the fact and derived tables as text, sorted, without the columns that record
     * when the catalog did something (updated_at, state_since, change_seq, first_seen_at, assigned_at,
     * recorded_at, and the time of its own dead letters) — what must be identical whatever the order
     * of the events.
     */
    public static List<String> content(DataSource ds) throws Exception {
        Set<String> skip = Set.of("updated_at", "state_since", "change_seq", "first_seen_at", "assigned_at",
                "recorded_at");
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("subject", "subject_split", "study", "image", "report_revision",
                    "report_labelling", "report", "study_label", "dead_letter")) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder(table).append(':');
                        // the catalog's own dead letters carry the time the catalog rejected the record
                        boolean own = table.equals("dead_letter") && "cxr.catalog.dlq".equals(rs.getString("topic"));
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String col = md.getColumnName(i);
                            if (own && (col.equals("failed_at") || col.equals("payload"))) {
                                continue;
                            }
                            if (!skip.contains(md.getColumnName(i))) {
                                sb.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append('|');
                            }
                        }
                        rows.add(sb.toString());
                    }
                }
                rows.sort(null);
                out.addAll(rows);
            }
        }
        return out;
    }

    /** The rows only in a, and only in b (for readable assertion messages). */
    public static String diff(List<String> a, List<String> b) {
        List<String> onlyA = new ArrayList<>(a);
        onlyA.removeAll(b);
        List<String> onlyB = new ArrayList<>(b);
        onlyB.removeAll(a);
        return "only in expected: " + onlyA + "\nonly in actual: " + onlyB;
    }

    public static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
