package org.cxr.label.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class EvalCommandTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new EvalCommand()).execute(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void scoresAnyGoldFileWithTheMentionNegationUncertaintyProtocol() throws IOException {
        String header = "id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,Lung Lesion,"
                + "Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices\n";
        Files.writeString(tmp.resolve("gold.csv"), header
                + "1,,,,,,,,,,1.0,,,0.0,\n"
                + "2,,,,,,,,,,,,-1,,\n"
                + "3,,,,,,,,,1,,,,,\n");
        Files.writeString(tmp.resolve("reports.csv"), "id,text\n"
                + "1,\"IMPRESSION: Small right pleural effusion. No pneumothorax.\"\n"
                + "2,\"IMPRESSION: Pneumonia is not excluded.\"\n"
                + "3,\"IMPRESSION: Normal chest.\"\n");
        String out = run("gold", "--gold", tmp.resolve("gold.csv").toString(), "--reports", tmp.resolve("reports.csv").toString(),
                "--id-column", "id");
        assertThat(out).contains("### chexpert style (3 reports)", "### negbio style (3 reports)");
        assertThat(out).contains("| Pleural Effusion | 1.000 (1) | — (0) | — (0) | 1.000 (1) | 0.973 |");
        assertThat(out).contains("| Pneumothorax | 1.000 (1) | 1.000 (1) | — (0) | — (0) | 0.970 |");
        assertThat(out).contains("| Pneumonia | 1.000 (1) | — (0) | 1.000 (1) | — (0) | 0.957 |");

        // the same gold against a labels file written by ./cxr label
        assertThat(new CommandLine(new LabelCommand()).execute("--no-progress", "--id-column", "id", "--text-column", "text",
                tmp.resolve("reports.csv").toString(), tmp.resolve("out").toString())).isZero();
        String pred = run("gold", "--gold", tmp.resolve("gold.csv").toString(), "--predictions",
                tmp.resolve("out/chexpert.csv").toString(), "--id-column", "id");
        assertThat(pred).contains("| Pneumonia | 1.000 (1) | — (0) | 1.000 (1) | — (0) | 0.957 |");
    }

    /** A radiologist-labelled file in CheXpert format: texts and labels together, the paper's column names. */
    private static final String CHEXPERT_FORMAT = "Study,Report Impression,No Finding,Enlarged Cardiom.,Cardiomegaly,Lung Lesion,"
            + "Airspace Opacity,edema,CONSOLIDATION,Pneumonia,Atelectasis,Pneumothorax,Pleural_Effusion,Pleural Other,Fracture,"
            + "Support Devices\n"
            + "s1,\"1. small left pleural effusion. 2. no pneumothorax.\",,,,,,,,,,0,1,,,\n"
            + "s2,\"1. stable cardiomediastinal silhouette. 2. possible right lower lobe pneumonia.\",,-1.0,,,,,,-1.0,,,,,,\n"
            + "s3,\"normal chest.\",1,,,,,,,,,,,,,\n"
            + "s4,\"bibasilar opacities, likely atelectasis.\",,,,,1,,,,-1,,,,,\n"
            + "s5,\"no acute process.\",1,,0,,,,,,,,,,,\n";

    @Test
    void scoresAGoldFileInCheXpertFormatWithItsOwnTexts() throws IOException {
        Path gold = tmp.resolve("radiologists.csv");
        Files.writeString(gold, "\uFEFF" + CHEXPERT_FORMAT);
        String out = run("gold", gold.toString(), "--id-column", "Study", "--text-column", "Report Impression");
        assertThat(out).contains("gold radiologists.csv, 5 reports, 0 without text; texts labelled as they are",
                "### chexpert style (5 reports)", "### negbio style (5 reports)");
        assertThat(out).contains("| Pleural Effusion | 1.000 (1) | — (0) | — (0) | 1.000 (1) | 0.973 |");
        assertThat(out).contains("| Enlarged Cardiomediastinum | 1.000 (1) | — (0) | 1.000 (1) | — (0) | 0.462 |");
        assertThat(out).contains("| Lung Opacity | 1.000 (1) | — (0) | — (0) | 1.000 (1) | 0.800 |");
        // "no acute process" says nothing about the heart: the gold's Cardiomegaly 0 is a missed mention
        assertThat(out).contains("| Cardiomegaly | 0.000 (1) | 0.000 (1) | — (0) | — (0) | 0.859 |");
        // macro over the classes with gold labels of each kind: Cardiomegaly's missed mention and negation count 0
        assertThat(out).contains("| **macro** (classes with gold labels of the kind) | **0.875** (8 classes) | **0.500** (2 classes) "
                + "| **1.000** (3 classes) | **1.000** (3 classes) | |");

        // ./cxr label on the same file, then the labels it wrote against the gold
        assertThat(new CommandLine(new LabelCommand()).execute("--no-progress", "--no-sections", "--id-column", "Study",
                "--text-column", "Report Impression", gold.toString(), tmp.resolve("labels").toString())).isZero();
        assertThat(Files.readAllLines(tmp.resolve("labels/chexpert.csv"))).hasSize(6);
        String pred = run("gold", gold.toString(), "--id-column", "Study", "--predictions", tmp.resolve("labels/chexpert.csv").toString());
        assertThat(pred).contains("| **macro** (classes with gold labels of the kind) | **0.875** (8 classes)");
    }

    @Test
    void aGoldFileWithoutAllLabelColumnsIsRefusedWithTheirNames() throws IOException {
        Path gold = tmp.resolve("partial.csv");
        Files.writeString(gold, "id,text,Edema,Pneumonia\n1,no edema,0,\n");
        assertThat(new CommandLine(new EvalCommand()).execute("gold", gold.toString(), "--id-column", "id", "--text-column", "text"))
                .isEqualTo(2);
    }

    @Test
    void explainsHowEachMentionWasDecided() {
        String out = run("explain", "No pneumothorax or effusion.");
        assertThat(out).contains("Pneumothorax", "'pneumothorax' chexpert=NEGATIVE [triggers.txt:", " no]");
    }
}
