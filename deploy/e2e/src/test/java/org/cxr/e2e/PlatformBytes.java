package org.cxr.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.cxr.generator.phi.LeakScanner;
import org.postgresql.PGConnection;

/**
 * Every byte a local platform wrote, fed to a {@link LeakScanner}: the files under its data
 * directory (the S3 server's store, the broker's log segments, PostgreSQL's files and WAL, every
 * log; gzip files also decompressed, as a release's CSVs are), a dump of every table of each
 * database ({@code COPY ... TO STDOUT} in binary format, so text and bytea values appear as they
 * are stored), and whatever else a test hands in (HTTP error bodies). Each hit is labelled with a
 * location ({@code s3:<bucket>}, {@code kafka:<topic>}, {@code db:<database>.<table>}, {@code log:<file>},
 * {@code postgres-files}, ...).
 */
final class PlatformBytes {
    /** A hit with where it was found, in words a report can group by. */
    record Located(String location, LeakScanner.Hit hit) {
    }

    private final LeakScanner scanner;
    private final List<Located> hits = new ArrayList<>();
    private long bytes;
    private int files;

    PlatformBytes(LeakScanner scanner) {
        this.scanner = scanner;
    }

    List<Located> hits() {
        return hits;
    }

    long bytesScanned() {
        return bytes;
    }

    int filesScanned() {
        return files;
    }

    /** Every regular file under {@code root}; {@code label} names the top (e.g. the data directory). */
    void files(Path root, String label) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            // postgres-bin holds the PostgreSQL software the launcher unpacks, not data
            all = walk.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith("postgres-bin"))
                    .sorted().toList();
        }
        for (Path f : all) {
            String location = location(root, f, label);
            try {
                scanStream(Files.newInputStream(f), location, f.toString());
                if (f.getFileName().toString().endsWith(".gz")) {
                    scanStream(new GZIPInputStream(Files.newInputStream(f)), location, f + "!gunzip");
                }
            } catch (NoSuchFileException e) {
                // rolled or compacted away while we walked: its bytes are in its successor
            } catch (IOException e) {
                if (!f.getFileName().toString().endsWith(".gz")) {
                    throw e;
                }
                // a .gz still being written: its raw bytes were scanned
            }
        }
    }

    void bytes(byte[] data, String location, String where) throws IOException {
        scanStream(new java.io.ByteArrayInputStream(data), location, where);
    }

    /** Dumps every table of {@code database} (a superuser connection to it) and scans the dump. */
    void database(Connection c, String database) throws Exception {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("select table_schema, table_name from "
                + "information_schema.tables where table_type = 'BASE TABLE' and table_schema not in "
                + "('pg_catalog', 'information_schema') order by 1, 2")) {
            while (rs.next()) {
                tables.add('"' + rs.getString(1) + "\".\"" + rs.getString(2) + '"');
            }
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        for (String table : tables) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pg.getCopyAPI().copyOut("COPY " + table + " TO STDOUT WITH (FORMAT binary)", out);
            bytes(out.toByteArray(), "db:" + database + "." + table.replace("\"", "").replaceFirst("^public\\.", ""),
                    database + " " + table);
        }
    }

    private void scanStream(InputStream in, String location, String where) throws IOException {
        try (CountingStream counting = new CountingStream(in)) {
            for (LeakScanner.Hit h : scanner.scan(counting, where)) {
                hits.add(new Located(location, h));
            }
            bytes += counting.count;
            files++;
        }
    }

    /** A short name for where a file lives in a local platform's data directory. */
    private static String location(Path root, Path file, String label) {
        Path rel = root.relativize(file);
        String first = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
        String second = rel.getNameCount() > 2 ? rel.getName(1).toString() : "";
        return switch (first) {
            case "s3" -> "s3:" + second;
            case "kafka-logs" -> "kafka:" + second.replaceFirst("-\\d+$", "");
            case "postgres" -> "postgres-files";
            case "logs" -> "log:" + rel.getFileName();
            default -> label + (first.isEmpty() ? ":" + rel : ":" + first);
        };
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
