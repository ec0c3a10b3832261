package org.cxr.label.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.labeler.ReportLabeler;

/**
 * The NegEx/Chapman test kit (rsAnnotations-1-120-random.txt): 2,376 sentences, each with one
 * marked condition (written in upper case inside the sentence) and a Negated/Affirmed gold.
 * Scores the scope engine on (sentence, target): negation precision/recall/F1.
 */
public final class NegexKit {
    /** One annotation; line is the kit's own line number (odd = development half). */
    public record Item(int line, String condition, String sentence, boolean negated) {
    }

    /** A disagreement, for error analysis. */
    public record Miss(Item item, Assertion predicted) {
    }

    public record Result(Counts counts, List<Miss> misses, List<Item> notFound) {
    }

    private NegexKit() {
    }

    public static List<Item> load(Path file) {
        try {
            List<Item> out = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split("\t");
                if (f.length < 4) {
                    continue;
                }
                out.add(new Item(Integer.parseInt(f[0].strip()), f[1].strip(), f[2], f[3].strip().equalsIgnoreCase("Negated")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result run(List<Item> items, ReportLabeler labeler, Style style, OpenI.Half half) {
        Counts c = new Counts();
        List<Miss> misses = new ArrayList<>();
        List<Item> notFound = new ArrayList<>();
        for (Item it : items) {
            if (half != OpenI.Half.ALL && (half == OpenI.Half.DEVELOPMENT) != (it.line() % 2 == 1)) {
                continue;
            }
            Assertion a = labeler.assess(it.sentence(), it.condition(), occurrence(it), style);
            if (a == null) {
                notFound.add(it);
                a = Assertion.POSITIVE;
            }
            boolean predicted = a == Assertion.NEGATIVE;
            c.add(it.negated(), predicted);
            if (predicted != it.negated()) {
                misses.add(new Miss(it, a));
            }
        }
        return new Result(c, misses, notFound);
    }

    /**
     * Which occurrence of the condition is the marked one: the annotators wrote the target in
     * upper case, so count the case-insensitive matches before the first upper-case match.
     */
    static int occurrence(Item it) {
        String sentence = it.sentence().replaceAll("\\s+", " ");
        String cond = it.condition().replaceAll("\\s+", " ");
        int marked = sentence.indexOf(cond.toUpperCase(Locale.ROOT));
        if (marked < 0) {
            return 0;
        }
        String lower = sentence.toLowerCase(Locale.ROOT);
        String lc = cond.toLowerCase(Locale.ROOT);
        int n = 0;
        for (int i = lower.indexOf(lc); i >= 0 && i < marked; i = lower.indexOf(lc, i + 1)) {
            if (wordAt(lower, i, lc.length())) {
                n++;
            }
        }
        return n;
    }

    private static boolean wordAt(String s, int i, int len) {
        boolean startOk = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
        boolean endOk = i + len >= s.length() || !Character.isLetterOrDigit(s.charAt(i + len));
        return startOk && endOk;
    }
}
