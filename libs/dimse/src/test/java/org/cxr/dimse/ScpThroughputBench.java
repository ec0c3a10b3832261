package org.cxr.dimse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * C-STORE throughput of this SCP next to dcmtk's storescp, both receiving the same files from
 * dcmtk's storescu on this machine and writing each instance to a file (ours: the Part 10 file
 * it builds is moved into the output folder, as a handler that keeps files would; storescp:
 * {@code -od}, bit-preserving, 128 KiB PDUs). One association sending every file, then four associations (four storescu
 * processes, a quarter of the files each; storescp with {@code --fork}).
 * Run: {@code mvn -q -pl libs/dimse test -Dtest=ScpThroughputBench -Ddimse.bench=true}
 * ({@code -Ddimse.bench.files=400 -Ddimse.bench.bytes=1000000 -Ddimse.bench.rounds=3}); prints a
 * table; the median of the rounds is reported.
 */
@EnabledIfSystemProperty(named = "dimse.bench", matches = "true")
class ScpThroughputBench {
    @TempDir
    Path tmp;

    @Test
    void ourScpNextToStorescp() throws Exception {
        Dcmtk.require();
        int files = Integer.getInteger("dimse.bench.files", 400);
        int bytes = Integer.getInteger("dimse.bench.bytes", 1_000_000);
        int rounds = Integer.getInteger("dimse.bench.rounds", 3);
        List<Path> inputs = instances(tmp.resolve("in"), files, bytes);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%d DX instances of %d bytes (explicit VR LE), storescu -xe, median of %d rounds%n", files, bytes, rounds));
        table.append("| receiver | associations | instances/s | MB/s |\n|---|---|---|---|\n");
        for (int associations : new int[]{1, 4}) {
            double ours = median(rounds, () -> ours(inputs, associations));
            double theirs = median(rounds, () -> storescp(inputs, associations));
            double mb = (double) bytes * files / 1e6;
            table.append(String.format(Locale.ROOT, "| cxr-dimse | %d | %.1f | %.1f |%n", associations, ours, ours * mb / files));
            table.append(String.format(Locale.ROOT, "| dcmtk storescp | %d | %.1f | %.1f |%n", associations, theirs, theirs * mb / files));
            table.append(String.format(Locale.ROOT, "| ratio cxr-dimse / storescp | %d | %.2f | |%n", associations, ours / theirs));
        }
        System.out.println(table);
        Files.writeString(Path.of("target", "scp-throughput.md"), table);
    }

    interface Round {
        double run() throws Exception;
    }

    static double median(int rounds, Round r) throws Exception {
        double[] v = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            v[i] = r.run();
        }
        Arrays.sort(v);
        return v[rounds / 2];
    }

    /** Instances/s of our SCP with a handler that keeps each file. */
    double ours(List<Path> inputs, int associations) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("ours-" + System.nanoTime()));
        ScpConfig config = ScpConfig.builder("BENCH").bind("127.0.0.1", 0).allowedPeers(List.of(AllowedPeer.of("STORESCU")))
                .storageSopClasses(Set.of(UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION)).maxAssociations(associations)
                .workDir(tmp.resolve("work")).build();
        try (DimseServer server = DimseServer.start(config, r -> {
            Files.move(r.file(), out.resolve(r.sopInstanceUid() + ".dcm"), StandardCopyOption.ATOMIC_MOVE);
            return DimseStatus.SUCCESS;
        }, null)) {
            double rate = send(inputs, associations, server.port());
            check(out, inputs.size());
            return rate;
        } finally {
            clear(out);
        }
    }

    /** Instances/s of storescp writing every instance into a folder. */
    double storescp(List<Path> inputs, int associations) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("storescp-" + System.nanoTime()));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // its fastest setting: data sets written as received (+B), the largest PDU it takes (ours announces 256 KiB,
        // which storescu caps at the same 128 KiB)
        List<String> cmd = new ArrayList<>(List.of("storescp", "-aet", "BENCH", "-od", out.toString(), "+xa", "+B",
                "-pdu", "131072"));
        if (associations > 1) {
            cmd.add("--fork");
        }
        cmd.add(String.valueOf(port));
        Process scp = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile()).start();
        try {
            awaitListening(port);
            double rate = send(inputs, associations, port);
            check(out, inputs.size());
            return rate;
        } finally {
            scp.descendants().forEach(ProcessHandle::destroy);
            scp.destroy();
            scp.waitFor(10, TimeUnit.SECONDS);
            clear(out);
        }
    }

    /** storescu processes, one association each, the files split between them; instances/s over the wall time. */
    static double send(List<Path> inputs, int associations, int port) throws Exception {
        List<Process> senders = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int a = 0; a < associations; a++) {
            List<String> cmd = new ArrayList<>(List.of("storescu", "-aec", "BENCH", "-aet", "STORESCU", "-xe", "-R",
                    "127.0.0.1", String.valueOf(port)));
            for (int i = a; i < inputs.size(); i += associations) {
                cmd.add(inputs.get(i).toString());
            }
            senders.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : senders) {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("storescu failed: exit " + p.exitValue());
            }
        }
        return inputs.size() / (Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0);
    }

    static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("storescp did not listen on " + port);
    }

    static void check(Path out, int expected) throws IOException {
        try (var s = Files.list(out)) {
            long n = s.count();
            if (n != expected) {
                throw new IllegalStateException(n + " files received, " + expected + " sent");
            }
        }
    }

    static void clear(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** {@code n} DX instances of about {@code bytes} each (square 16-bit image), each with its own SOP Instance UID. */
    static List<Path> instances(Path dir, int n, int bytes) throws IOException {
        Files.createDirectories(dir);
        int side = (int) Math.sqrt(bytes / 2.0);
        byte[] pixels = new byte[side * side * 2];
        new java.util.Random(7).nextBytes(pixels);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Dataset ds = new Dataset();
            ds.putString(Tag.SOPClassUID, VR.UI, UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION);
            ds.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.99." + i);
            ds.putString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.99.0");
            ds.putString(Tag.PatientID, VR.LO, "BENCH");
            ds.putString(Tag.Modality, VR.CS, "DX");
            ds.putInt(Tag.Rows, VR.US, side);
            ds.putInt(Tag.Columns, VR.US, side);
            ds.putInt(Tag.BitsAllocated, VR.US, 16);
            ds.putInt(Tag.BitsStored, VR.US, 12);
            ds.putInt(Tag.HighBit, VR.US, 11);
            ds.putInt(Tag.PixelRepresentation, VR.US, 0);
            ds.putInt(Tag.SamplesPerPixel, VR.US, 1);
            ds.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            ds.putPixelData(VR.OW, PixelData.ofNative(pixels, VR.OW));
            Path f = dir.resolve(i + ".dcm");
            Files.write(f, DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            files.add(f);
        }
        return files;
    }
}
