package org.cxr.label.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Reads headed CSV files (UTF-8, with or without a spreadsheet's byte order mark). */
public final class Csv {
    /** With a header line, which is not a record. */
    public static final CSVFormat HEADED = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    private Csv() {
    }

    /** A reader of the file past its byte order mark, if any (else it sticks to the first header). */
    public static Reader open(Path file) throws IOException {
        BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        r.mark(1);
        if (r.read() != '\uFEFF') {
            r.reset();
        }
        return r;
    }

    /** Every record as column -> value. */
    public static List<Map<String, String>> read(Path file) {
        CSVFormat format = HEADED;
        try (Reader r = open(file)) {
            List<Map<String, String>> out = new ArrayList<>();
            for (CSVRecord rec : format.parse(r)) {
                out.add(rec.toMap());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
