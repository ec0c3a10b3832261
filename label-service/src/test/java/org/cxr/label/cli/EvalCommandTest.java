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

    @Test
    void explainsHowEachMentionWasDecided() {
        String out = run("explain", "No pneumothorax or effusion.");
        assertThat(out).contains("Pneumothorax", "'pneumothorax' chexpert=NEGATIVE [triggers.txt:", " no]");
    }
}
