package org.cxr.convert.domain.codec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.natives.NativeConverter;

/**
 * Decode time per image of our codecs next to pydicom + GDCM's {@code ds.pixel_array} on the same
 * files (file read and parse excluded), as a markdown table. The machine is shared, so the two
 * sides alternate: per file, {@code rounds} rounds of {@code runs} decodes of ours then
 * {@code runs} of the reference (a long-lived python process), after a warm-up; the medians of
 * all samples are compared. Wall time is what the budget is about; process CPU time (all threads)
 * is printed too because it is less sensitive to the load. Run from convert-service after
 * {@code mvn -q test-compile}:
 * {@code java -cp target/test-classes:target/classes:$(cat target/classpath.txt) org.cxr.convert.domain.codec.CodecBenchmark [runs] [rounds] [shared dir]}
 */
public final class CodecBenchmark {
    private static final String[] FILES = {
        "cr-wg04/RG3_RLE.dcm", "cr-wg04/RG2_JPLL.dcm", "cr-wg04/RG3_JPLL.dcm", "chest/CR-ModalitySequenceLUT.dcm",
        "cr-wg04/RG2_JPLY.dcm", "cr-wg04/RG3_JPLY.dcm", "cr-wg04/RG3_JLSL.dcm", "cr-wg04/RG3_JLSN.dcm",
        "chest/RG1_JLSN.dcm", "syntax-small/jpeg_ls_nearlossless_MR.dcm", "cr-wg04/RG3_J2KR.dcm",
        "cr-wg04/RG3_J2KI.dcm", "chest/RG1_J2KI.dcm", "edge-cases/J2K_pixelrep_mismatch.dcm",
        "syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm"};

    /** Reads "path runs" lines; answers "wall,wall,...;cpu,cpu,..." in ms per frame. */
    private static final String PY = String.join("\n",
            "import sys, io, time, pydicom",
            "for line in sys.stdin:",
            "    f, runs = line.rsplit(' ', 1); raw = open(f, 'rb').read(); w = []; c = []",
            "    for _ in range(int(runs)):",
            "        ds = pydicom.dcmread(io.BytesIO(raw)); ds.PixelData",
            "        n = int(ds.get('NumberOfFrames', 1) or 1)",
            "        t, p = time.perf_counter(), time.process_time(); a = ds.pixel_array",
            "        w.append((time.perf_counter() - t) * 1000 / n); c.append((time.process_time() - p) * 1000 / n)",
            "    print(','.join(map(str, w)) + ';' + ','.join(map(str, c)), flush=True)",
            "");

    /** The clock python's time.process_time() reads; the JVM's process CPU time only ticks every 10 ms. */
    interface LibC extends Library {
        int CLOCK_PROCESS_CPUTIME_ID = 2;

        int clock_gettime(int clock, long[] timespec);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    private static long processCpuNanos() {
        long[] ts = new long[2];
        LIBC.clock_gettime(LibC.CLOCK_PROCESS_CPUTIME_ID, ts);
        return ts[0] * 1_000_000_000L + ts[1];
    }

    private CodecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path shared = Path.of(args.length > 2 ? args[2] : "../../shared").resolve("data/dicom");
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        StringBuilder out = new StringBuilder();
        out.append("| file | syntax | size | decoder | ours ms | pydicom+GDCM ms | ours / GDCM | ours CPU ms"
                + " | GDCM CPU ms | CPU ratio |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        Path script = Files.createTempFile("codec-bench", ".py");
        Files.writeString(script, PY);
        Process python = new ProcessBuilder(ReferenceDecoder.PYTHON, script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PrintWriter toPython = new PrintWriter(python.getOutputStream(), true, StandardCharsets.UTF_8);
             BufferedReader fromPython = new BufferedReader(
                     new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            for (String f : FILES) {
                Path p = shared.resolve(f);
                if (!Files.exists(p)) {
                    System.err.println("skipped (absent): " + p);
                    continue;
                }
                DicomFrames dicom = DicomFrames.read(p);
                FrameDecoder decoder = NativeConverter.decoders().forTransferSyntax(dicom.transferSyntax()).orElseThrow();
                List<byte[]> frames = dicom.frames();
                List<double[]> ours = new ArrayList<>();
                List<double[]> gdcm = new ArrayList<>();
                time(decoder, dicom, frames, 3);
                reference(toPython, fromPython, p, 1);
                for (int r = 0; r < rounds; r++) {
                    ours.addAll(time(decoder, dicom, frames, runs));
                    gdcm.addAll(reference(toPython, fromPython, p, runs));
                }
                double ow = median(ours, 0);
                double gw = median(gdcm, 0);
                double oc = median(ours, 1);
                double gc = median(gdcm, 1);
                out.append(String.format(Locale.ROOT, "| %s | %s | %dx%d | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |%n",
                        f, dicom.transferSyntax().substring("1.2.840.10008.1.2".length()),
                        dicom.descriptor().columns(), dicom.descriptor().rows(), decoder.getClass().getSimpleName(),
                        ow, gw, ow / gw, oc, gc, oc / gc));
            }
        } finally {
            python.destroy();
            Files.deleteIfExists(script);
        }
        System.out.print(out);
        System.out.println("load average before: " + loadBefore + "; after: "
                + Files.readString(Path.of("/proc/loadavg")).strip() + "; " + runs + " runs x " + rounds + " rounds");
    }

    /** {wall ms, process CPU ms} per frame for each run. */
    private static List<double[]> time(FrameDecoder decoder, DicomFrames dicom, List<byte[]> frames, int runs)
            throws Exception {
        List<double[]> samples = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            for (byte[] frame : frames) {
                decoder.decode(frame, dicom.descriptor());
            }
            samples.add(new double[] {(System.nanoTime() - start) / 1e6 / frames.size(),
                (processCpuNanos() - cpu) / 1e6 / frames.size()});
        }
        return samples;
    }

    private static List<double[]> reference(PrintWriter to, BufferedReader from, Path file, int runs) throws Exception {
        to.println(file + " " + runs);
        String line = from.readLine();
        if (line == null) {
            throw new IllegalStateException("the python reference ended on " + file);
        }
        String[] parts = line.split(";");
        double[] wall = Arrays.stream(parts[0].split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] cpu = Arrays.stream(parts[1].split(",")).mapToDouble(Double::parseDouble).toArray();
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < wall.length; i++) {
            samples.add(new double[] {wall[i], cpu[i]});
        }
        return samples;
    }

    private static double median(List<double[]> samples, int column) {
        double[] v = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
