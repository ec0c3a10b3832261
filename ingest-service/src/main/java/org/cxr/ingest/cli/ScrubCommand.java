package org.cxr.ingest.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.cxr.ingest.domain.deid.ReportScrubber;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./cxr scrub IN OUT}: the report scrubber ingest applies, run offline with its generic rules
 * (no patient name is known): every {@code *.txt} below a folder IN to the same relative paths below
 * OUT, or the text columns of a CSV file IN to the CSV file OUT (e.g. the Open-i reports, to measure
 * what scrubbing changes for the labelers: {@code ingest-service/src/build/scrub-label-f1.sh}).
 */
@Command(name = "scrub", mixinStandardHelpOptions = true,
        description = "Scrub identifiers from report text the way ingest does (___), offline.")
public class ScrubCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "a folder of .txt reports, or a CSV file")
    Path in;

    @Parameters(index = "1", description = "output folder (for a folder) or CSV file (for a CSV file)")
    Path out;

    @Option(names = "--text-columns", split = ",", defaultValue = "indication,comparison,findings,impression",
            description = "CSV columns to scrub. Default: ${DEFAULT-VALUE}")
    List<String> textColumns;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScrubCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        long[] counts = Files.isDirectory(in) ? folder() : csv();
        System.out.printf("scrubbed %d reports (%d characters) in %.1f s%n", counts[0], counts[1],
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private long[] folder() throws IOException {
        long[] n = new long[2];
        List<Path> files;
        try (Stream<Path> s = Files.walk(in)) {
            files = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Path target = out.resolve(in.relativize(f).toString());
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, ReportScrubber.scrub(text), StandardCharsets.UTF_8);
            n[0]++;
            n[1] += text.length();
        }
        return n;
    }

    private long[] csv() throws IOException {
        long[] n = new long[2];
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Reader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
             Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                     .setHeader(parser.getHeaderNames().toArray(String[]::new)).get())) {
            for (CSVRecord rec : parser) {
                Map<String, String> row = new LinkedHashMap<>(rec.toMap());
                for (String c : textColumns) {
                    String v = row.get(c);
                    if (v != null && !v.isEmpty()) {
                        row.put(c, ReportScrubber.scrub(v));
                        n[1] += v.length();
                    }
                }
                List<String> values = new ArrayList<>();
                for (String h : parser.getHeaderNames()) {
                    values.add(row.get(h));
                }
                printer.printRecord(values);
                n[0]++;
            }
        }
        return n;
    }
}
