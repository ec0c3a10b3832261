package org.cxr.convert.domain.codec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cxr.convert.domain.pixels.FrameDecoder;

/**
 * Decode time per image of our codecs (warm JVM, median of N runs) next to pydicom + GDCM's
 * {@code ds.pixel_array} on the same files (file read and parse excluded), as a markdown table.
 * Run from convert-service after {@code mvn -q test-compile}:
 * {@code java -cp target/test-classes:target/classes:$(cat target/classpath.txt) org.cxr.convert.domain.codec.CodecBenchmark [runs] [shared dir]}
 */
public final class CodecBenchmark {
    private static final String[] FILES = {
        "cr-wg04/RG3_RLE.dcm", "cr-wg04/RG2_JPLL.dcm", "cr-wg04/RG3_JPLL.dcm", "chest/CR-ModalitySequenceLUT.dcm",
        "cr-wg04/RG2_JPLY.dcm", "cr-wg04/RG3_JPLY.dcm", "cr-wg04/RG3_JLSL.dcm", "cr-wg04/RG3_JLSN.dcm",
        "chest/RG1_JLSN.dcm", "syntax-small/jpeg_ls_nearlossless_MR.dcm", "cr-wg04/RG3_J2KR.dcm",
        "cr-wg04/RG3_J2KI.dcm", "chest/RG1_J2KI.dcm", "syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm"};

    private static final String PY = String.join("\n",
            "import sys, io, time, statistics, pydicom",
            "runs = int(sys.argv[1])",
            "for f in sys.argv[2:]:",
            "    raw = open(f, 'rb').read(); ts = []",
            "    for _ in range(runs):",
            "        ds = pydicom.dcmread(io.BytesIO(raw)); ds.PixelData",
            "        t = time.perf_counter(); a = ds.pixel_array; ts.append(time.perf_counter() - t)",
            "    n = int(ds.get('NumberOfFrames', 1) or 1)",
            "    print(f, statistics.median(ts) * 1000 / n, flush=True)",
            "");

    private CodecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Path shared = Path.of(args.length > 1 ? args[1] : "../../shared").resolve("data/dicom");
        List<String> paths = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        out.append("| file | syntax | size | decoder | ours ms | pydicom+GDCM ms | ours / GDCM |\n");
        out.append("|---|---|---|---|---:|---:|---:|\n");
        Map<String, double[]> ours = new HashMap<>();
        Map<String, String[]> info = new HashMap<>();
        for (String f : FILES) {
            Path p = shared.resolve(f);
            if (!Files.exists(p)) {
                System.err.println("skipped (absent): " + p);
                continue;
            }
            paths.add(p.toString());
            TestDicomFragments dicom = TestDicomFragments.read(p);
            FrameDecoder decoder = CompressedCodecs.decoders().get(dicom.transferSyntax);
            List<byte[]> frames = dicom.frames();
            for (int i = 0; i < 5; i++) { // warm-up
                decoder.decode(frames.get(0), dicom.descriptor);
            }
            long[] t = new long[runs];
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                for (byte[] frame : frames) {
                    decoder.decode(frame, dicom.descriptor);
                }
                t[r] = (System.nanoTime() - start) / frames.size();
            }
            Arrays.sort(t);
            ours.put(p.toString(), new double[] {t[runs / 2] / 1e6});
            info.put(p.toString(), new String[] {f, dicom.transferSyntax.substring("1.2.840.10008.1.2".length()),
                dicom.descriptor.columns() + "x" + dicom.descriptor.rows(), decoder.getClass().getSimpleName()});
        }
        Map<String, Double> gdcm = new HashMap<>();
        Path script = Files.createTempFile("codec-bench", ".py");
        try {
            Files.writeString(script, PY);
            List<String> cmd = new ArrayList<>(List.of(ReferenceDecoder.PYTHON, script.toString(), String.valueOf(runs)));
            cmd.addAll(paths);
            Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int sp = line.lastIndexOf(' ');
                    gdcm.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                }
            }
            proc.waitFor();
        } finally {
            Files.deleteIfExists(script);
        }
        for (String p : paths) {
            String[] i = info.get(p);
            double o = ours.get(p)[0];
            Double g = gdcm.get(p);
            out.append(String.format("| %s | %s | %s | %s | %.1f | %s | %s |%n", i[0], i[1], i[2], i[3], o,
                    g == null ? "n/a" : String.format("%.1f", g), g == null ? "n/a" : String.format("%.2f", o / g)));
        }
        System.out.print(out);
    }
}
