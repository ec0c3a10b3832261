package org.cxr.convert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.dicom.TransferSyntax;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our converter against the published recipe in Python (../shared/tools/reference_convert.py:
 * pydicom + GDCM + OpenCV) on every file of ../shared/data/dicom:
 * <ul>
 * <li>the reference converts it: so do we; the pre-encode 8-bit image equals the reference PNG
 *     exactly (uncompressed and lossless syntaxes), or within 1 grey level on >= 99.9 % of pixels
 *     (lossy .50 .51 .81 .91); our JPG decoded vs the reference JPG decoded: within 1 grey level on
 *     >= 99.9 % of pixels (max difference and PSNR reported); an image equal to the reference's
 *     before encoding gives the reference's JPG byte for byte;</li>
 * <li>the reference fails: we fail with the documented reason ({@link #EXPECTED_FAILURES}).</li>
 * </ul>
 * Skips with a message when ../shared or /usr/bin/python3 with cv2, pydicom and gdcm is absent.
 */
class ConversionConformanceTest {
    /** Files the reference cannot convert, and our documented reason (docs/convert.md). */
    static final Map<String, ConversionFailure> EXPECTED_FAILURES = Map.ofEntries(
            Map.entry("edge-cases/DX-Im-Carestream_DRX.dcm", ConversionFailure.NO_PIXEL_DATA),
            Map.entry("edge-cases/ExplVR_BigEndNoMeta.dcm", ConversionFailure.NO_PIXEL_DATA),
            Map.entry("edge-cases/UN_sequence.dcm", ConversionFailure.NO_PIXEL_DATA),
            Map.entry("edge-cases/GH1339.dcm", ConversionFailure.TRUNCATED),
            Map.entry("edge-cases/GH179A.dcm", ConversionFailure.TRUNCATED),
            Map.entry("edge-cases/GH626.dcm", ConversionFailure.TRUNCATED),
            Map.entry("edge-cases/MR_truncated.dcm", ConversionFailure.TRUNCATED),
            Map.entry("edge-cases/rtplan_truncated.dcm", ConversionFailure.TRUNCATED),
            Map.entry("edge-cases/GH195.dcm", ConversionFailure.UNSUPPORTED_IMAGE),
            Map.entry("edge-cases/GH340.dcm", ConversionFailure.MALFORMED),
            Map.entry("edge-cases/badVR.dcm", ConversionFailure.MALFORMED),
            Map.entry("edge-cases/meta_missing_tsyntax.dcm", ConversionFailure.MALFORMED),
            Map.entry("edge-cases/no_meta.dcm", ConversionFailure.NOT_DICOM),
            Map.entry("edge-cases/emri_small_jpeg_2k_lossless_too_short.dcm", ConversionFailure.MULTI_FRAME),
            Map.entry("syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm", ConversionFailure.MULTI_FRAME));

    static final Set<String> LOSSY = Set.of(TransferSyntax.JPEG_BASELINE, TransferSyntax.JPEG_EXTENDED,
            TransferSyntax.JPEG_LS_NEAR_LOSSLESS, TransferSyntax.JPEG_2000);

    @TempDir
    Path tmp;

    record Row(String file, String ts, String outcome, String preEncode, int jpgMax, double jpgWithin1, double psnr,
               boolean jpgIdentical) {
    }

    @Test
    void everySharedFileMatchesTheReference() throws Exception {
        Path dicomDir = SharedData.require("data/dicom");
        Path script = SharedData.require("tools/reference_convert.py");
        Assumptions.assumeTrue(referencePythonAvailable(),
                "SKIPPED: needs /usr/bin/python3 with cv2, pydicom, numpy and gdcm (Debian: python3-opencv "
                        + "python3-pydicom python3-numpy python3-gdcm)");
        Converter converter = NativeConverter.create(new MemoryBudget(1L << 30),
                Converter.Options.DEFAULT.withPng(false).withKeepImage(true));
        List<Path> files;
        try (Stream<Path> s = Files.walk(dicomDir)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(50);
        // the reference: two Python processes (each imports once), every other file each
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Map<Path, String>>> halves = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            List<Path> mine = new ArrayList<>();
            for (int i = half; i < files.size(); i += 2) {
                mine.add(files.get(i));
            }
            halves.add(pool.submit(() -> runReference(script, mine)));
        }
        pool.shutdown();
        Map<Path, String> reference = new LinkedHashMap<>();
        for (Future<Map<Path, String>> half : halves) {
            reference.putAll(half.get());
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = dicomDir.relativize(file).toString().replace('\\', '/');
            Path refJpg = refJpg(file);
            Path refPng = refPng(file);
            String refOut = reference.get(file);
            boolean refOk = refOut == null;

            ConversionResult ours = converter.convert(file, null);
            if (!refOk) {
                ConversionFailure expected = EXPECTED_FAILURES.get(name);
                if (expected == null) {
                    problems.add(name + ": the reference fails (" + lastLine(refOut) + ") but no reason is documented");
                } else if (!(ours instanceof Failed f) || f.reason() != expected) {
                    problems.add(name + ": expected failure " + expected + ", got " + describe(ours));
                }
                rows.add(new Row(name, "", describe(ours), "-", -1, Double.NaN, Double.NaN, false));
                continue;
            }
            if (!(ours instanceof Converted c)) {
                problems.add(name + ": the reference converts it, we fail: " + describe(ours));
                rows.add(new Row(name, "", describe(ours), "-", -1, Double.NaN, Double.NaN, false));
                continue;
            }
            boolean lossy = LOSSY.contains(c.transferSyntaxUid());
            byte[] refPre = decodeGray(Files.readAllBytes(refPng));
            Diff pre = Diff.of(c.image().pixels(), refPre);
            if (lossy ? pre.within1 < 0.999 : pre.differing > 0) {
                problems.add(name + ": pre-encode image differs from the reference: " + pre);
            }
            byte[] refJ = Files.readAllBytes(refJpg);
            Diff jpg = Diff.of(decodeGray(c.jpg()), decodeGray(refJ));
            if (jpg.within1 < 0.999) {
                problems.add(name + ": decoded JPG differs from the reference's: " + jpg);
            }
            if (pre.differing == 0 && !Arrays.equals(c.jpg(), refJ)) {
                problems.add(name + ": the same image before encoding, but not the reference's JPG bytes");
            }
            rows.add(new Row(name, c.transferSyntaxUid(), "OK " + c.rows() + "x" + c.columns(),
                    pre.differing == 0 ? "exact" : pre.toString(), jpg.max, jpg.within1, jpg.psnr(),
                    Arrays.equals(c.jpg(), refJ)));
        }
        printTable(rows);
        assertThat(problems).as("conformance problems").isEmpty();
    }

    private Path refJpg(Path file) {
        return tmp.resolve(file.getParent().getFileName() + "_" + file.getFileName() + ".jpg");
    }

    private Path refPng(Path file) {
        return tmp.resolve(file.getParent().getFileName() + "_" + file.getFileName() + ".png");
    }

    /**
     * reference_convert.py's own main() on each file, in one interpreter: per line of input its
     * arguments (DICOM, JPG, PNG), per line of output its exit code and what it printed on stderr.
     */
    private static final String REFERENCE_BATCH = """
            import contextlib, importlib.util, io, sys
            spec = importlib.util.spec_from_file_location("reference_convert", sys.argv[1])
            ref = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(ref)
            for line in sys.stdin:
                err = io.StringIO()
                with contextlib.redirect_stderr(err):
                    code = ref.main(["reference_convert.py"] + line.rstrip("\\n").split("\\t"))
                print(code, " ".join(err.getvalue().split()), sep="\\t", flush=True)
            """;

    /** Runs reference_convert.py on the files; per file null when it converted, else its message. */
    private Map<Path, String> runReference(Path script, List<Path> files) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", REFERENCE_BATCH, script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            for (Path file : files) {
                in.write(file + "\t" + refJpg(file) + "\t" + refPng(file) + "\n");
            }
        }
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Map<Path, String> out = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : "no answer (the reference process ended)";
            out.put(files.get(i), line.startsWith("0\t") ? null : line);
        }
        return out;
    }

    private static void printTable(List<Row> rows) {
        StringBuilder sb = new StringBuilder("\nConformance vs reference_convert.py\n");
        sb.append(String.format(Locale.ROOT, "%-52s %-24s %-22s %-30s %6s %9s %8s %s%n", "file", "transfer syntax",
                "ours", "pre-encode vs ref PNG", "jpgMax", "jpg<=1", "PSNR dB", "jpg bytes"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-52s %-24s %-22s %-30s %6s %9s %8s %s%n", r.file, r.ts,
                    r.outcome.length() > 22 ? r.outcome.substring(0, 22) : r.outcome, r.preEncode,
                    r.jpgMax < 0 ? "-" : Integer.toString(r.jpgMax),
                    Double.isNaN(r.jpgWithin1) ? "-" : String.format(Locale.ROOT, "%.4f%%", 100 * r.jpgWithin1),
                    Double.isNaN(r.psnr) ? "-" : Double.isInfinite(r.psnr) ? "inf" : String.format(Locale.ROOT, "%.1f", r.psnr),
                    r.jpgMax < 0 ? "-" : r.jpgIdentical ? "identical" : "differ"));
        }
        System.out.println(sb);
    }

    private static String describe(ConversionResult r) {
        return r instanceof Failed f ? f.reason() + " (" + f.message() + ")" : "converted";
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Pixel differences of two equally sized 8-bit images. */
    record Diff(int pixels, int differing, int max, double within1, double mse) {
        static Diff of(byte[] a, byte[] b) {
            if (a.length != b.length) {
                return new Diff(a.length, a.length, 255, 0, 255 * 255);
            }
            int differing = 0;
            int max = 0;
            int over1 = 0;
            double se = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
                if (d > 0) {
                    differing++;
                    max = Math.max(max, d);
                    over1 += d > 1 ? 1 : 0;
                    se += (double) d * d;
                }
            }
            return new Diff(a.length, differing, max, 1 - (double) over1 / a.length, se / a.length);
        }

        double psnr() {
            return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d px differ, max %d, %.4f%% within 1", differing, max, 100 * within1);
        }
    }

    /** Decodes a PNG or JPG with OpenCV (the same library the reference uses) as 8-bit gray. */
    static byte[] decodeGray(byte[] encoded) {
        try (BytePointer data = new BytePointer(encoded);
             Mat buf = new Mat(1, encoded.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, data);
             Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_GRAYSCALE)) {
            byte[] out = new byte[(int) (img.total())];
            img.data().get(out);
            return out;
        }
    }

    static boolean referencePythonAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import cv2, pydicom, numpy, gdcm")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
