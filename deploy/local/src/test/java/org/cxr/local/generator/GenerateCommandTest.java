package org.cxr.local.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void badArgumentsFail(@TempDir Path dir) {
        assertThat(GenerateCommand.commandLine().execute(dir.resolve("x").toString(), "--syntaxes", "jpeg2000")).isNotZero();
        assertThat(GenerateCommand.commandLine().execute(dir.resolve("y").toString(), "--layout", "tree")).isNotZero();
        assertThat(GenerateCommand.commandLine().execute(dir.resolve("z").toString(), "--target-size", "1MB",
                "--syntaxes", "rle")).as("a target size needs an uncompressed syntax").isNotZero();
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
