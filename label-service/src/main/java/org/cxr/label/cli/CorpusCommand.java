package org.cxr.label.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * ./cxr label-corpus OUT_DIR: writes a synthetic MIMIC-CXR-like report tree
 * (files/pXX/pSUBJECT/sSTUDY.txt) for benchmarks, composed from sentence templates and
 * deterministic from --seed. Layout follows MIMIC-CXR: indented lines, a FINAL REPORT title,
 * EXAMINATION/INDICATION/TECHNIQUE/COMPARISON headers, about 83 % with an impression, 12 % with
 * findings only and 5 % with neither (the last paragraph is labelled).
 */
@Command(name = "label-corpus", mixinStandardHelpOptions = true,
        description = "Generate a synthetic MIMIC-like report tree for benchmarks.")
public final class CorpusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT_DIR")
    Path out;

    @Option(names = "--count", description = "number of reports (default: MIMIC-CXR-JPG's 227,827 labelled studies)")
    int count = 227_827;

    @Option(names = "--seed", description = "random seed (same seed, same corpus)")
    long seed = 20240101L;

    private static final String[] INDICATIONS = {
        "___M with shortness of breath", "___F with cough and fever, evaluate for pneumonia", "history of CHF, now with dyspnea",
        "s/p CABG, evaluate for effusion", "___M with chest pain", "line placement", "evaluate ET tube position",
        "___F with hypoxia", "preoperative evaluation", "fall, evaluate for rib fracture", "follow-up of lung nodule",
        "___M with sepsis, source unknown", "dyspnea on exertion", "evaluate for interval change",
    };
    private static final String[] NORMAL = {
        "The lungs are clear without focal consolidation.", "No pleural effusion or pneumothorax is seen.",
        "The cardiomediastinal silhouette is within normal limits.", "Heart size is normal.",
        "There is no focal consolidation, pleural effusion, or pneumothorax.", "The hilar contours are normal.",
        "No pulmonary edema.", "The mediastinal contours are unremarkable.", "No acute osseous abnormality is detected.",
        "Pulmonary vasculature is normal.", "There is no evidence of pneumothorax.", "The lungs are well expanded and clear.",
    };
    private static final String[] ABNORMAL = {
        "There is a {size} {side} pleural effusion.", "{Side} basilar opacity likely reflects atelectasis.",
        "Mild pulmonary vascular congestion without frank edema.", "The heart is {degree} enlarged.",
        "There is {side} lower lobe consolidation concerning for pneumonia.", "{Size} {side} apical pneumothorax.",
        "Moderate cardiomegaly is unchanged.", "Bibasilar atelectasis.", "Interstitial edema has slightly improved.",
        "A {size} nodule projects over the {side} upper lobe.", "Healed {side} rib fractures are noted.",
        "{Side} PICC tip terminates in the mid SVC.", "Endotracheal tube tip is 4 cm above the carina.",
        "Nasogastric tube courses below the diaphragm.", "Left chest wall pacemaker with leads in the right atrium and ventricle.",
        "Patchy opacities in the {side} lung base may represent aspiration or pneumonia.",
        "Atelectasis versus consolidation in the {side} lower lobe.", "Pleural thickening at the {side} apex.",
        "Pneumonia cannot be excluded.", "No new consolidation.", "The aorta is tortuous and calcified.",
        "Hyperinflation consistent with COPD.", "Mild degenerative changes of the thoracic spine.",
        "Stable widening of the mediastinum.", "Heart size is stable.", "Possible small {side} effusion.",
    };
    private static final String[] IMPRESSION_NORMAL = {
        "No acute cardiopulmonary process.", "No evidence of pneumonia.", "Normal chest radiograph.",
        "No acute intrathoracic abnormality.",
    };
    private static final String[] IMPRESSION_ABNORMAL = {
        "{Size} {side} pleural effusion with adjacent atelectasis.", "Findings concerning for pneumonia in the {side} lower lobe.",
        "Cardiomegaly with mild pulmonary edema.", "Lines and tubes in appropriate position.", "Interval improvement in pulmonary edema.",
        "{Side} apical pneumothorax, new since prior.", "Low lung volumes with bibasilar atelectasis.",
        "No pneumothorax after chest tube removal.", "Stable {size} {side} lung nodule.", "Possible early pneumonia.",
    };
    private static final String[] SIZES = {"small", "moderate", "large", "trace", "tiny"};
    private static final String[] SIDES = {"left", "right", "bilateral"};
    private static final String[] DEGREES = {"mildly", "moderately", "severely"};

    public static void main(String[] args) {
        System.exit(new CommandLine(new CorpusCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        long subject = 10_000_000L;
        long study = 50_000_000L;
        int written = 0;
        while (written < count) {
            subject += 1 + rnd.nextInt(150);
            int studies = 1 + rnd.nextInt(6);
            for (int s = 0; s < studies && written < count; s++) {
                study += 1 + rnd.nextInt(40);
                Path dir = out.resolve("files").resolve("p" + Long.toString(subject).substring(0, 2)).resolve("p" + subject);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("s" + study + ".txt"), report(rnd), StandardCharsets.UTF_8);
                written++;
            }
        }
        System.err.printf("wrote %d reports under %s (seed %d)%n", written, out.resolve("files"), seed);
        return 0;
    }

    /** One report in MIMIC-CXR's layout. */
    static String report(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        sb.append("                                 FINAL REPORT\n");
        sb.append(" EXAMINATION:  CHEST (PA AND LAT)\n \n");
        sb.append(" INDICATION:  ").append(pick(rnd, INDICATIONS)).append("\n \n");
        sb.append(" TECHNIQUE:  Chest PA and lateral\n \n");
        sb.append(" COMPARISON:  ").append(rnd.nextInt(3) == 0 ? "None." : "Chest radiograph from ___.").append("\n \n");
        boolean abnormal = rnd.nextInt(3) > 0;
        List<String> findings = new ArrayList<>();
        int n = 3 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            findings.add(fill(rnd, abnormal && rnd.nextInt(2) == 0 ? pick(rnd, ABNORMAL) : pick(rnd, NORMAL)));
        }
        List<String> impression = new ArrayList<>();
        int m = 1 + rnd.nextInt(3);
        for (int i = 0; i < m; i++) {
            impression.add((m > 1 ? (i + 1) + ". " : "") + fill(rnd, abnormal ? pick(rnd, IMPRESSION_ABNORMAL) : pick(rnd, IMPRESSION_NORMAL)));
        }
        int shape = rnd.nextInt(100);
        if (shape < 95) {
            sb.append(" FINDINGS: \n \n").append(wrap(String.join("  ", findings))).append("\n \n");
            if (shape < 83) {
                sb.append(" IMPRESSION: \n \n").append(wrap(String.join("\n ", impression))).append('\n');
            }
        } else {
            // no findings/impression headers: the labelled text is the paragraph after the comparison
            sb.append(wrap(String.join("  ", findings))).append("\n \n").append(wrap(String.join(" ", impression))).append('\n');
        }
        return sb.toString();
    }

    private static String pick(SplittableRandom rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String fill(SplittableRandom rnd, String template) {
        String side = pick(rnd, SIDES);
        String size = pick(rnd, SIZES);
        return template.replace("{size}", size).replace("{Size}", capital(size)).replace("{side}", side)
                .replace("{Side}", capital(side)).replace("{degree}", pick(rnd, DEGREES));
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Wraps at about 78 columns with MIMIC's leading space on every line. */
    private static String wrap(String text) {
        StringBuilder out = new StringBuilder(" ");
        int col = 1;
        for (String word : text.split(" ")) {
            if (col + word.length() > 78 && col > 1) {
                out.append("\n ");
                col = 1;
            }
            if (col > 1) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
