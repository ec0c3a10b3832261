package org.cxr.generator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @Test
    void writesATreeWithTheGivenOptions(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tree");
        int code = GenerateCommand.commandLine().execute(out.toString(), "--studies", "6", "--seed", "4",
                "--max-rows", "48", "--max-cols", "40", "--no-phi", "--syntaxes", "rle,implicit", "--workers", "2");
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(out.resolve("manifest.csv"));
        assertThat(lines).hasSizeGreaterThan(6);
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).matches("files/p\\d\\d/p1\\d{7}/s5\\d{7}/.*\\.dcm,.*,(rle|implicit),MONOCHROME[12],\\d+,\\d+");
        }
        try (Stream<Path> files = Files.walk(out)) {
            Path report = files.filter(p -> p.toString().endsWith(".txt")).findFirst().orElseThrow();
            assertThat(Files.readString(report)).doesNotContainPattern("\\d\\d/\\d\\d/\\d{4}");
        }
    }

    @Test
    void writesThePhiCorpusAsAPacsExportWithGoldAndTheScanList(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("phi");
        int code = GenerateCommand.commandLine().execute(out.toString(), "--phi-corpus", "--studies", "4", "--seed", "9",
                "--dicom-source", "none");
        assertThat(code).isZero();
        assertThat(Files.readAllLines(out.resolve("gold.jsonl"))).hasSize(4);
        assertThat(Files.readAllLines(out.resolve("identifiers.tsv")).get(0)).isEqualTo("kind\tsource\tencoding\tvalue");
        try (Stream<Path> files = Files.list(out.resolve("export"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names.stream().filter(n -> n.matches("2\\.25\\.\\d+\\.txt"))).hasSize(4);
            assertThat(names.stream().filter(n -> n.matches("2\\.25\\.\\d+"))).hasSize(4);
        }
    }

    @Test
    void badArgumentsFailWithAMessage(@TempDir Path dir) {
        assertThat(run(dir.resolve("x"), "--syntaxes", "jpeg2000")).contains("unknown transfer syntax 'jpeg2000'");
        assertThat(run(dir.resolve("y"), "--layout", "tree")).contains("expected one of [MIMIC, FLAT]");
        assertThat(run(dir.resolve("z"), "--target-size", "1MB", "--syntaxes", "rle"))
                .startsWith("generate: a target instance size needs an uncompressed syntax");
    }

    /** Runs the command, expects it to fail, returns what it printed on stderr. */
    private static String run(Path out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = GenerateCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = out.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        assertThat(cl.execute(all)).isNotZero();
        return err.toString();
    }

    @Test
    void sizesParse() {
        assertThat(GenerateCommand.parseSize("1048576")).isEqualTo(1048576);
        assertThat(GenerateCommand.parseSize("1MB")).isEqualTo(1_000_000);
        assertThat(GenerateCommand.parseSize("1 MiB")).isEqualTo(1 << 20);
        assertThat(GenerateCommand.parseSize("500kB")).isEqualTo(500_000);
        assertThat(GenerateCommand.parseSize("1.5M")).isEqualTo(1_500_000);
    }
}
