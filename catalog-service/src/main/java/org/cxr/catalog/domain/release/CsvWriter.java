package org.cxr.catalog.domain.release;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * CSV the way pandas' {@code to_csv} writes it: comma-separated, {@code \n} line ends, UTF-8,
 * a field quoted (with doubled quotes inside) only when it contains a comma, a quote or a line
 * break; an empty field is empty.
 */
public final class CsvWriter implements AutoCloseable {
    private final Writer out;
    private final String[] fields;
    private int count;

    public CsvWriter(OutputStream stream, int columns) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        this.fields = new String[columns];
    }

    public void header(List<String> names) throws IOException {
        row(names.toArray(String[]::new));
    }

    /** Sets field i of the current row (null = empty). */
    public CsvWriter set(int i, String value) {
        fields[i] = value;
        return this;
    }

    /** Writes the current row and clears it. */
    public void endRow() throws IOException {
        row(fields);
        Arrays.fill(fields, null);
    }

    private void row(String[] values) throws IOException {
        if (values.length != fields.length) {
            throw new IllegalArgumentException("expected " + fields.length + " fields, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String v = values[i];
            if (v != null && !v.isEmpty()) {
                if (needsQuotes(v)) {
                    out.write('"');
                    out.write(v.replace("\"", "\"\""));
                    out.write('"');
                } else {
                    out.write(v);
                }
            }
        }
        out.write('\n');
        count++;
    }

    /** Rows written, header included. */
    public int rows() {
        return count;
    }

    static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
