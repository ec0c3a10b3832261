package org.cxr.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Multi-row statements on one connection: rows are sent as one PostgreSQL array per column
 * ({@code INSERT ... SELECT FROM unnest(?::int[], ?::text[], ...)}), so a statement costs one
 * round trip whatever the number of rows. Parameters are arrays or text.
 */
final class JdbcArrays {
    private final Connection c;

    JdbcArrays(Connection connection) {
        this.c = connection;
    }

    Connection connection() {
        return c;
    }

    void update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    /** Runs a statement whose result rows are read as text columns. */
    List<String[]> rows(String sql, Object... params) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] r = new String[n];
                    for (int i = 0; i < n; i++) {
                        r[i] = rs.getString(i + 1);
                    }
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Runs an upsert ... RETURNING study_id; the studies whose rows were inserted or changed. */
    List<Integer> returningStudies(String sql, Object... params) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Array a) {
                ps.setArray(i + 1, a);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    Array array(String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    Array ints(Collection<Integer> values) throws SQLException {
        return array("int4", values.toArray(Integer[]::new));
    }

    <T> Array text(List<T> rows, Function<T, String> f) throws SQLException {
        return array("text", rows.stream().map(f).toArray(String[]::new));
    }

    <T> Array int4(List<T> rows, Function<T, Integer> f) throws SQLException {
        return array("int4", rows.stream().map(f).toArray(Integer[]::new));
    }

    <T> Array int8(List<T> rows, Function<T, Long> f) throws SQLException {
        return array("int8", rows.stream().map(f).toArray(Long[]::new));
    }

    <T> Array int2(List<T> rows, Function<T, Short> f) throws SQLException {
        return array("int2", rows.stream().map(f).toArray(Short[]::new));
    }

    <T> Array bool(List<T> rows, Function<T, Boolean> f) throws SQLException {
        return array("bool", rows.stream().map(f).toArray(Boolean[]::new));
    }

    /** A PostgreSQL array literal ({@code {1,NULL,-1}}, {@code {AP,PA}}) for simple values. */
    static String literal(Object[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values[i];
            if (v == null) {
                sb.append("NULL");
            } else {
                sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString();
    }

    /** A {@code smallint[]} as read (null stays null). */
    static Short[] shorts(Array a) throws SQLException {
        if (a == null) {
            return null;
        }
        Object o = a.getArray();
        if (o instanceof Short[] s) {
            return s;
        }
        Object[] objs = (Object[]) o;
        Short[] out = new Short[objs.length];
        for (int i = 0; i < objs.length; i++) {
            out[i] = objs[i] == null ? null : ((Number) objs[i]).shortValue();
        }
        return out;
    }

    /** A {@code text[]} or {@code varchar[]} as read; null (an aggregate of no rows) is empty. */
    static List<String> strings(Array a) throws SQLException {
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                out.add((String) o);
            }
        }
        return out;
    }
}
