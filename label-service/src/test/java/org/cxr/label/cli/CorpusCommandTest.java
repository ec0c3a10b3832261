package org.cxr.label.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.section.SectionKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class CorpusCommandTest {
    @TempDir
    Path tmp;

    private List<Path> generate(String dir, long seed) throws IOException {
        assertThat(new CommandLine(new CorpusCommand()).execute("--count", "300", "--seed", String.valueOf(seed),
                tmp.resolve(dir).toString())).isZero();
        try (Stream<Path> s = Files.walk(tmp.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void theSameSeedGivesTheSameCorpusInTheMimicLayout() throws IOException {
        List<Path> a = generate("a", 7);
        List<Path> b = generate("b", 7);
        assertThat(a).hasSize(300);
        for (int i = 0; i < a.size(); i++) {
            assertThat(tmp.resolve("a").relativize(a.get(i))).isEqualTo(tmp.resolve("b").relativize(b.get(i)));
            assertThat(Files.readString(a.get(i))).isEqualTo(Files.readString(b.get(i)));
        }
        assertThat(tmp.resolve("a").relativize(a.get(0)).toString()).matches("files/p1\\d/p1\\d{7}/s5\\d{7}\\.txt");
        assertThat(generate("c", 8).stream().map(Files::exists)).hasSize(300);
    }

    @Test
    void reportsExerciseAllSectionFallbacks() throws IOException {
        ReportPipeline p = ReportPipeline.bundled();
        int[] kinds = new int[SectionKind.values().length];
        for (Path f : generate("a", 11)) {
            kinds[p.process(Files.readString(f)).section().kind().ordinal()]++;
        }
        assertThat(kinds[SectionKind.IMPRESSION.ordinal()]).isBetween(210, 285);
        assertThat(kinds[SectionKind.FINDINGS.ordinal()]).isBetween(15, 60);
        assertThat(kinds[SectionKind.LAST_PARAGRAPH.ordinal()]).isBetween(3, 35);
        assertThat(kinds[SectionKind.NONE.ordinal()]).isZero();
    }
}
