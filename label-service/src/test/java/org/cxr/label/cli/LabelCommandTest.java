package org.cxr.label.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cxr.events.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class LabelCommandTest {
    @TempDir
    Path tmp;

    private static final String REPORT = """
                                             FINAL REPORT
             INDICATION:  cough
             \s
             FINDINGS: Heart size is normal.
             \s
             IMPRESSION:  Small right pleural effusion. No pneumothorax.
            """;

    private void study(String subject, String study, String text) throws IOException {
        Path dir = tmp.resolve("in/files/p" + subject.substring(0, 2) + "/p" + subject);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("s" + study + ".txt"), text);
    }

    private int run(String... args) {
        return new CommandLine(new LabelCommand()).execute(args);
    }

    @Test
    void labelsAMimicTreeIntoThePublishedLayoutSortedById() throws IOException {
        study("10000032", "50414267", REPORT);
        study("10000032", "5000001", "FINDINGS: No acute process.\n");
        study("19999987", "58971208", "A single line without headers.");
        study("10000764", "57375967", "INDICATION: fever\nIMPRESSION: Possible left lower lobe pneumonia.");
        // image folders and other files are not reports
        Files.createDirectories(tmp.resolve("in/files/p10/p10000032/s50414267"));
        Files.writeString(tmp.resolve("in/files/p10/p10000032/s50414267/abc.dcm"), "not a report");
        Files.writeString(tmp.resolve("in/files/p10/p10000032/notes.txt"), "x");

        assertThat(run("--no-progress", "--workers", "2", tmp.resolve("in").toString(), tmp.resolve("out").toString())).isZero();

        List<String> chexpert = Files.readAllLines(tmp.resolve("out/chexpert.csv"));
        assertThat(chexpert.get(0)).isEqualTo("subject_id,study_id," + String.join(",", Observation.columns()));
        assertThat(chexpert).hasSize(4);
        assertThat(chexpert.get(1)).isEqualTo("10000032,5000001,,,,,,,,,1.0,,,,,");
        assertThat(chexpert.get(2)).isEqualTo("10000032,50414267,,,,,,,,,,1.0,,,0.0,");
        assertThat(chexpert.get(3)).isEqualTo("10000764,57375967,,,,,,,,,,,,-1.0,,");
        List<String> negbio = Files.readAllLines(tmp.resolve("out/negbio.csv"));
        assertThat(negbio.get(0)).isEqualTo(chexpert.get(0));
        assertThat(negbio).hasSize(4);

        List<String> sections = Files.readAllLines(tmp.resolve("out/sections.csv"));
        assertThat(sections).containsExactly("subject_id,study_id,section,text",
                "10000032,5000001,findings,No acute process.",
                "10000032,50414267,impression,Small right pleural effusion. No pneumothorax.",
                "10000764,57375967,impression,Possible left lower lobe pneumonia.",
                "19999987,58971208,none,");
    }

    @Test
    void labelsACsvColumnAsIsWithNoSections() throws IOException {
        Path csv = tmp.resolve("reports.csv");
        Files.writeString(csv, """
                report_id,note
                b2,"IMPRESSION: Emphysema, no pneumonia."
                10,"Mild cardiomegaly, ""stable""."
                9,""
                a1,Heart failure.
                """, StandardCharsets.UTF_8);
        assertThat(run("--no-progress", "--no-sections", "--id-column", "report_id", "--text-column", "note", csv.toString(),
                tmp.resolve("out").toString())).isZero();
        List<String> chexpert = Files.readAllLines(tmp.resolve("out/chexpert.csv"));
        assertThat(chexpert.get(0)).startsWith("report_id,Atelectasis,");
        assertThat(chexpert).extracting(l -> l.substring(0, l.indexOf(','))).containsExactly("report_id", "10", "a1", "b2");
        // "IMPRESSION:" is part of the text with --no-sections; emphysema blocks No Finding only for CheXpert
        assertThat(chexpert.get(3)).isEqualTo("b2,,,,,,,,,,,,0.0,,");
        assertThat(Files.readAllLines(tmp.resolve("out/negbio.csv")).get(3)).isEqualTo("b2,,,,,,,,,1.0,,,0.0,,");
        assertThat(chexpert.get(2)).isEqualTo("a1,,-1.0,,1.0,,,,,,,,,,");
        List<String> sections = Files.readAllLines(tmp.resolve("out/sections.csv"));
        assertThat(sections).contains("9,none,", "10,text,\"Mild cardiomegaly, \"\"stable\"\".\"");
    }

    @Test
    void aCsvNeedsItsColumnsAndTheInputMustExist() throws IOException {
        assertThat(run("--no-progress", tmp.resolve("missing").toString(), tmp.resolve("out").toString())).isEqualTo(2);
        Path csv = tmp.resolve("r.csv");
        Files.writeString(csv, "id,text\n1,x\n");
        assertThat(run("--no-progress", csv.toString(), tmp.resolve("out").toString())).isNotZero();
        assertThat(run("--no-progress", "--id-column", "id", "--text-column", "report", csv.toString(), tmp.resolve("out").toString()))
                .isNotZero();
    }
}
