package org.cxr.label.eval;

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

/** Reads a headed CSV file into maps of column -> value. */
public final class Csv {
    private Csv() {
    }

    public static List<Map<String, String>> read(Path file) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
