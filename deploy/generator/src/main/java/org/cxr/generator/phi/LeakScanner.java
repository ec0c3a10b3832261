package org.cxr.generator.phi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finds planted identifiers in bytes: all needles at once (Aho-Corasick over ASCII-case-folded
 * bytes), so every file the platform wrote can be read once. A needle of letters must not continue a
 * word (no letter before or after it), one of digits must not continue a number, so "Graves" does
 * not match inside "Gravesend" and an MRN not inside a longer number.
 */
public final class LeakScanner {
    /** A needle found: the file (or stream name), the byte offset and a few bytes around it. */
    public record Hit(PlantedIdentifiers.Needle needle, String where, long offset, String context) {
    }

    private static final int CHUNK = 1 << 20;

    private final List<PlantedIdentifiers.Needle> needles;
    private final byte[][] patterns;
    private final int maxLength;
    // the automaton: goto on folded bytes, failure links, the needles ending at each state
    // bytes fold to classes: the letters and symbols some needle has, all else class 0
    private final int[] classOf = new int[256];
    private final int classes;
    private int[][] next = new int[1024][];
    private int[] fail = new int[1024];
    private int[][] output = new int[1024][];
    private int states = 1;

    public LeakScanner(List<PlantedIdentifiers.Needle> needles) {
        this.needles = List.copyOf(needles);
        this.patterns = new byte[needles.size()][];
        int max = 0;
        int k = 0;
        for (int i = 0; i < needles.size(); i++) {
            patterns[i] = needles.get(i).value().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : patterns[i]) {
                if (classOf[b & 0xff] == 0) {
                    classOf[b & 0xff] = ++k;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + 32];
        }
        this.classes = k + 1;
        next[0] = new int[classes];
        for (int i = 0; i < needles.size(); i++) {
            byte[] p = patterns[i];
            max = Math.max(max, p.length);
            int s = 0;
            for (byte b : p) {
                int c = classOf[b & 0xff];
                if (next[s][c] == 0) {
                    next[s][c] = newState();
                }
                s = next[s][c];
            }
            output[s] = append(output[s], i);
        }
        this.maxLength = max;
        buildFailureLinks();
    }

    private int newState() {
        if (states == next.length) {
            next = Arrays.copyOf(next, states * 2);
            fail = Arrays.copyOf(fail, states * 2);
            output = Arrays.copyOf(output, states * 2);
        }
        next[states] = new int[classes];
        return states++;
    }

    private void buildFailureLinks() {
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        for (int c = 0; c < classes; c++) {
            int s = next[0][c];
            if (s != 0) {
                fail[s] = 0;
                queue[tail++] = s;
            }
        }
        while (head < tail) {
            int s = queue[head++];
            if (output[fail[s]] != null) {
                for (int o : output[fail[s]]) {
                    output[s] = append(output[s], o);
                }
            }
            for (int c = 0; c < classes; c++) {
                int t = next[s][c];
                if (t != 0) {
                    fail[t] = next[fail[s]][c];
                    queue[tail++] = t;
                } else {
                    next[s][c] = next[fail[s]][c];
                }
            }
        }
    }

    private static int[] append(int[] a, int v) {
        if (a == null) {
            return new int[]{v};
        }
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Every regular file under {@code root} (or {@code root} itself), each read once. */
    public List<Hit> scan(Path root) throws IOException {
        List<Hit> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                hits.addAll(scan(in, f.toString()));
            } catch (java.nio.file.NoSuchFileException e) {
                // a file the platform removed while we walked (a rolled log segment): nothing left to leak
            }
        }
        return hits;
    }

    public List<Hit> scan(byte[] bytes, String where) {
        try {
            return scan(new java.io.ByteArrayInputStream(bytes), where);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Scans a stream in chunks, keeping the bytes a match at a chunk's border needs. */
    public List<Hit> scan(InputStream in, String where) throws IOException {
        List<Hit> hits = new ArrayList<>();
        int keep = maxLength + 1;
        byte[] buf = new byte[keep + CHUNK + 1];
        int carried = 0; // bytes before the chunk kept from the previous one
        long base = 0; // stream offset of buf[0]
        int state = 0;
        int scanned = 0; // bytes of buf already fed to the automaton
        boolean eof = false;
        while (!eof) {
            int n = in.readNBytes(buf, carried, CHUNK);
            eof = n < CHUNK;
            int end = carried + n;
            // a match ending at i needs buf[i + 1] to check its right border: feed up to end - 1 unless at eof
            int limit = eof ? end : end - 1;
            for (int i = scanned; i < limit; i++) {
                state = next[state][classOf[buf[i] & 0xff]];
                if (output[state] != null) {
                    for (int k : output[state]) {
                        int start = i - patterns[k].length + 1;
                        if (bordered(buf, start, i, end, k)) {
                            hits.add(new Hit(needles.get(k), where, base + start, context(buf, start, i + 1, end)));
                        }
                    }
                }
            }
            if (eof) {
                break;
            }
            int from = Math.max(0, limit - keep);
            System.arraycopy(buf, from, buf, 0, end - from);
            base += from;
            carried = end - from;
            scanned = limit - from;
        }
        return hits;
    }

    private boolean bordered(byte[] buf, int start, int last, int end, int k) {
        byte[] p = patterns[k];
        byte before = start > 0 ? buf[start - 1] : (byte) ' ';
        byte after = last + 1 < end ? buf[last + 1] : (byte) ' ';
        if (isLetter(p[0]) && isLetter(before) || isDigit(p[0]) && isDigit(before)) {
            return false;
        }
        byte tail = p[p.length - 1];
        return !(isLetter(tail) && isLetter(after) || isDigit(tail) && isDigit(after));
    }

    private static boolean isLetter(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String context(byte[] buf, int start, int end, int limit) {
        int from = Math.max(0, start - 30);
        int to = Math.min(limit, end + 30);
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = buf[i] & 0xff;
            s.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        return s.toString();
    }
}
