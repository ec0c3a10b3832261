package org.cxr.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SCP against dcmtk's storescu, echoscu and dcmsend, with real files from ../shared in every
 * transfer syntax the converter decodes. What the peers print (verbose, with every negotiated
 * presentation context) is kept in target/dcmtk-logs and shown when an assertion fails.
 */
class DcmtkPeerTest {
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String XA = "1.2.840.10008.5.1.4.1.1.12.1";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final Set<String> CLASSES = Set.of(UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE, UID.SECONDARY_CAPTURE_IMAGE_STORAGE,
            UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION, MR, XA); // CT is left out on purpose

    static Path dicom;

    @TempDir
    Path tmp;
    DimseServer server;
    Recorder recorder;
    Events events;
    Path work;

    @BeforeAll
    static void peers() {
        Dcmtk.require();
        dicom = SharedData.require("data/dicom");
    }

    void start(ScpConfig.Builder config) throws IOException {
        recorder = new Recorder(Files.createDirectories(tmp.resolve("received")));
        events = new Events();
        work = tmp.resolve("work");
        server = DimseServer.start(config.bind("127.0.0.1", 0).workDir(work).build(), recorder, events);
    }

    ScpConfig.Builder config() {
        return ScpConfig.builder("CXR_TEST").allowedPeers(List.of(AllowedPeer.parse("STORESCU@127.0.0.1"),
                AllowedPeer.parse("ECHOSCU"), AllowedPeer.parse("pacs=DCMSEND@127.0.0.0/8"))).storageSopClasses(CLASSES);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** storescu OPTIONS... 127.0.0.1 PORT FILES... (arguments ending in .dcm are the files). */
    List<String> storescu(String... args) {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "+v", "-aec", "CXR_TEST", "-aet", "STORESCU"));
        Arrays.stream(args).filter(a -> !a.endsWith(".dcm")).forEach(cmd::add);
        cmd.addAll(List.of("127.0.0.1", String.valueOf(server.port())));
        Arrays.stream(args).filter(a -> a.endsWith(".dcm")).forEach(cmd::add);
        return cmd;
    }

    @Test
    void echoAndItsRejections() throws Exception {
        start(config());
        Dcmtk.Run ok = Dcmtk.run("echo", "echoscu", "-v", "-aec", "CXR_TEST", "-aet", "ECHOSCU", "127.0.0.1", String.valueOf(server.port()));
        assertThat(ok.ok()).as(ok.toString()).isTrue();
        assertThat(ok.output()).as(ok.toString()).contains("Received Echo Response (Success)");
        events.await(l -> l.startsWith("released ECHOSCU messages=1"), 5);

        Dcmtk.Run stranger = Dcmtk.run("echo-unknown-calling", "echoscu", "-v", "-aec", "CXR_TEST", "-aet", "INTRUDER",
                "127.0.0.1", String.valueOf(server.port()));
        assertThat(stranger.ok()).as(stranger.toString()).isFalse();
        assertThat(stranger.output()).as(stranger.toString()).contains("Calling AE Title Not Recognized");
        events.await(l -> l.startsWith("rejected INTRUDER result=1 source=1 reason=3"), 5);

        Dcmtk.Run wrongCalled = Dcmtk.run("echo-wrong-called", "echoscu", "-v", "-aec", "SOMEONE_ELSE", "-aet", "ECHOSCU",
                "127.0.0.1", String.valueOf(server.port()));
        assertThat(wrongCalled.ok()).as(wrongCalled.toString()).isFalse();
        assertThat(wrongCalled.output()).as(wrongCalled.toString()).contains("Called AE Title Not Recognized");
        events.await(l -> l.startsWith("rejected ECHOSCU result=1 source=1 reason=7"), 5);
    }

    @Test
    void callingAeBoundToANetworkIsRejectedFromElsewhere() throws Exception {
        start(config().allowedPeers(List.of(AllowedPeer.parse("ECHOSCU@10.99.0.0/16"))));
        Dcmtk.Run r = Dcmtk.run("echo-wrong-network", "echoscu", "-v", "-aec", "CXR_TEST", "-aet", "ECHOSCU",
                "127.0.0.1", String.valueOf(server.port()));
        assertThat(r.output()).as(r.toString()).contains("Calling AE Title Not Recognized");
    }

    @Test
    void associationsOverTheLimitAreRejectedTransient() throws Exception {
        start(config().maxAssociations(1));
        String[] echo = {"echoscu", "-v", "-aec", "CXR_TEST", "-aet", "ECHOSCU", "127.0.0.1", String.valueOf(server.port())};
        try (RawPeer holder = new RawPeer(server.port())) {
            holder.associate("ECHOSCU", "CXR_TEST");
            Dcmtk.Run busy = Dcmtk.run("echo-over-limit", echo);
            assertThat(busy.ok()).as(busy.toString()).isFalse();
            assertThat(busy.output()).as(busy.toString()).contains("Rejected Transient").contains("Local Limit Exceeded");
            holder.send(new Pdu.ReleaseRq());
            assertThat(holder.read()).isInstanceOf(Pdu.ReleaseRp.class);
        }
        for (int i = 0; i < 100 && server.activeAssociations() > 0; i++) {
            Thread.sleep(20);
        }
        Dcmtk.Run ok = Dcmtk.run("echo-after-limit", echo);
        assertThat(ok.ok()).as(ok.toString()).isTrue();
    }

    static Stream<Arguments> syntaxes() {
        return Stream.of(
                Arguments.of("-xi", "syntax-small/MR_small_implicit.dcm", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN),
                Arguments.of("-xe", "syntax-small/MR_small.dcm", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                Arguments.of("-xb", "syntax-small/MR_small_bigendian.dcm", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN),
                Arguments.of("-xd", "syntax-small/image_dfl.dcm", TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN),
                Arguments.of("-xr", "syntax-small/MR_small_RLE.dcm", TransferSyntax.RLE_LOSSLESS),
                Arguments.of("-xs", "cr-wg04/RG3_JPLL.dcm", TransferSyntax.JPEG_LOSSLESS_SV1),
                Arguments.of("-xy", "syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm", TransferSyntax.JPEG_BASELINE),
                Arguments.of("-xx", "syntax-small/JPGExtended.dcm", TransferSyntax.JPEG_EXTENDED),
                Arguments.of("-xv", "syntax-small/MR_small_jp2klossless.dcm", TransferSyntax.JPEG_2000_LOSSLESS),
                Arguments.of("-xw", "syntax-small/JPEG2000.dcm", TransferSyntax.JPEG_2000),
                Arguments.of("-xt", "syntax-small/MR_small_jpeg_ls_lossless.dcm", TransferSyntax.JPEG_LS_LOSSLESS),
                Arguments.of("-xu", "syntax-small/jpeg_ls_nearlossless_MR.dcm", TransferSyntax.JPEG_LS_NEAR_LOSSLESS));
    }

    /** Each syntax proposed by storescu arrives in that syntax, its data set byte for byte as in the file. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("syntaxes")
    void eachTransferSyntaxArrivesUnchanged(String option, String file, String ts) throws Exception {
        start(config());
        Path f = dicom.resolve(file);
        Dcmtk.Run r = Dcmtk.run("storescu" + option, storescu(option, f.toString()).toArray(String[]::new));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(recorder.stored).as(r.toString()).hasSize(1);
        Recorder.Stored s = recorder.stored.get(0);
        assertThat(s.request().transferSyntaxUid()).as(r.toString()).isEqualTo(ts);
        assertThat(s.request().callingAe()).isEqualTo("STORESCU");
        DicomFile received = DicomReader.read(s.copy());
        DicomFile original = DicomReader.read(f);
        assertThat(received.transferSyntax().uid()).isEqualTo(ts);
        assertThat(received.fileMeta().getString(Tag.SourceApplicationEntityTitle)).isEqualTo("STORESCU");
        assertThat(received.fileMeta().getString(Tag.MediaStorageSOPInstanceUID))
                .isEqualTo(original.dataset().getString(Tag.SOPInstanceUID));
        assertThat(normalized(received)).as("the data set as sent, element by element").isEqualTo(normalized(original));
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void severalFilesInOneAssociationWithSmallPdus() throws Exception {
        start(config().maxPduLength(4096));
        List<Path> files = List.of(dicom.resolve("cr-wg04/RG3_RLE.dcm"), dicom.resolve("syntax-small/MR_small.dcm"),
                dicom.resolve("chest/NIH_CXR_DX_SC.dcm"), dicom.resolve("syntax-small/MR_small_RLE.dcm"));
        List<String> cmd = storescu("-xr", "-pdu", "4096", "--max-send-pdu", "4096");
        files.forEach(f -> cmd.add(f.toString()));
        Dcmtk.Run r = Dcmtk.run("storescu-several-small-pdu", 60, cmd);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.output()).as(r.toString()).contains("Max Send PDV: 4084"); // 4096 - 12, dcmtk's PDV accounting
        events.await(l -> l.startsWith("released STORESCU messages=4"), 5);
        assertThat(events.lines.stream().filter(l -> l.startsWith("accepted STORESCU")).count()).as("one association").isEqualTo(1);
        assertThat(recorder.stored).as(r.toString()).hasSize(4);
        for (int i = 0; i < files.size(); i++) {
            Recorder.Stored s = recorder.stored.get(i);
            DicomFile original = DicomReader.read(files.get(i));
            assertThat(s.request().sopInstanceUid()).isEqualTo(original.dataset().getString(Tag.SOPInstanceUID));
            DicomFile received = DicomReader.read(s.copy());
            if (s.request().transferSyntaxUid().equals(original.transferSyntax().uid())) {
                assertThat(normalized(received)).as(files.get(i) + " reassembled from 4 KB PDUs").isEqualTo(normalized(original));
            } else { // storescu converted it to another uncompressed syntax it proposed
                assertThat(received.pixelData().readNative()).isEqualTo(original.pixelData().readNative());
            }
        }
    }

    @Test
    void dcmsendProposesEachFilesOwnSyntax() throws Exception {
        start(config());
        Path lossless57 = dicom.resolve("syntax-small/jpeg_lossless_sel1.dcm");
        Path chest = dicom.resolve("chest/NIH_CXR_DX_SC.dcm");
        Dcmtk.Run r = Dcmtk.run("dcmsend", "dcmsend", "-v", "-aet", "DCMSEND", "-aec", "CXR_TEST", "127.0.0.1",
                String.valueOf(server.port()), lossless57.toString(), chest.toString());
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(recorder.stored).as(r.toString()).hasSize(2);
        assertThat(recorder.stored.get(0).request().transferSyntaxUid()).isEqualTo(TransferSyntax.JPEG_LOSSLESS);
        assertThat(recorder.stored.get(0).request().source()).isEqualTo("pacs");
        assertThat(normalized(DicomReader.read(recorder.stored.get(0).copy()))).isEqualTo(normalized(DicomReader.read(lossless57)));
        DicomFile f = DicomReader.read(recorder.stored.get(1).copy());
        // dcmsend's default (--decompress-lossless) sends uncompressed files as explicit VR LE
        assertThat(recorder.stored.get(1).request().transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.fileMeta().getString(Tag.MediaStorageSOPClassUID)).isEqualTo(UID.SECONDARY_CAPTURE_IMAGE_STORAGE);
        DicomFile original = DicomReader.read(chest);
        assertThat(f.dataset().getString(Tag.SOPInstanceUID)).isEqualTo(original.dataset().getString(Tag.SOPInstanceUID));
        assertThat(f.pixelData().readNative()).isEqualTo(original.pixelData().readNative());
    }

    @Test
    void unsupportedSopClassIsRefusedInItsContextOnly() throws Exception {
        start(config());
        Path ct = dicom.resolve("syntax-small/CT_small.dcm");
        Path mr = dicom.resolve("syntax-small/MR_small.dcm");
        List<String> cmd = storescu("-xe", "-nh", ct.toString(), mr.toString());
        Dcmtk.Run r = Dcmtk.run("storescu-unsupported-class", 60, cmd);
        assertThat(r.output()).as(r.toString())
                .containsPattern("\\(Abstract Syntax Not Supported\\)\\s*\\nI:\\s+Abstract Syntax: =CTImageStorage")
                .containsPattern("Accepted Transfer Syntax: =LittleEndianExplicit")
                .contains("No presentation context for: (CT)");
        assertThat(recorder.stored).as(r.toString()).hasSize(1);
        assertThat(recorder.stored.get(0).request().sopClassUid()).isEqualTo(MR);
        String accepted = events.await(l -> l.startsWith("accepted STORESCU"), 5);
        assertThat(accepted).as("contexts accepted/proposed").doesNotEndWith("0/0");
    }

    @Test
    void handlerStatusReachesThePeer() throws Exception {
        start(config());
        recorder.answer = DimseStatus.outOfResources("store unavailable");
        Dcmtk.Run r = Dcmtk.run("storescu-out-of-resources", storescu("-xe", dicom.resolve("syntax-small/MR_small.dcm").toString())
                .toArray(String[]::new));
        assertThat(r.output()).as(r.toString()).containsIgnoringCase("Refused: OutOfResources");
        events.await(l -> l.contains("store STORESCU 0xA700"), 5);
    }

    /** storescu killed (SIGKILL) while the data set is on the wire: nothing reaches the handler, no file is left. */
    @Test
    void storescuKilledMidTransferHandsNothingOn() throws Exception {
        start(config());
        try (SlowProxy proxy = new SlowProxy(server.port(), 1024 * 1024)) {
            Path big = dicom.resolve("cr-wg04/RG3_UNC.dcm");
            List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aec", "CXR_TEST", "-aet", "STORESCU", "-xe",
                    "127.0.0.1", String.valueOf(proxy.port()), big.toString()));
            Process p = Dcmtk.start("storescu-killed", cmd);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (proxy.forwarded.get() < 500_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(proxy.forwarded.get()).as("bytes on the wire before the kill").isGreaterThan(500_000).isLessThan(Files.size(big));
            p.destroyForcibly().waitFor();
            String aborted = events.await(l -> l.startsWith("aborted STORESCU"), 10);
            assertThat(aborted).contains("by peer");
        }
        assertThat(recorder.stored).isEmpty();
        assertThat(events.lines).noneMatch(l -> l.startsWith("store "));
        assertThat(work).isEmptyDirectory();
        // and the listener goes on serving
        Dcmtk.Run ok = Dcmtk.run("storescu-after-kill", storescu("-xe", dicom.resolve("syntax-small/MR_small.dcm").toString())
                .toArray(String[]::new));
        assertThat(ok.ok()).as(ok.toString()).isTrue();
        assertThat(recorder.stored).hasSize(1);
    }

    /**
     * The data set re-encoded by our writer in its own syntax, without trailing padding: dcmtk's
     * peers re-encode what they send (sequence lengths, trailing spaces, OB for encapsulated pixel
     * data), so element values and pixel bytes are what must survive the trip, not the byte layout.
     */
    static byte[] normalized(DicomFile f) {
        org.cxr.dicom.Dataset ds = f.dataset().copy();
        ds.remove(0xFFFCFFFC);
        trimStrings(ds);
        if (ds.pixelData() != null && ds.pixelData().isEncapsulated()) {
            ds.putPixelData(org.cxr.dicom.VR.OB, ds.pixelData());
        }
        return org.cxr.dicom.DicomWriter.toBytes(ds, f.transferSyntax().uid());
    }

    private static void trimStrings(org.cxr.dicom.Dataset ds) {
        for (org.cxr.dicom.DicomElement e : List.copyOf(ds.elements())) {
            if (e.isSequence()) {
                e.items().forEach(DcmtkPeerTest::trimStrings);
            } else if (!e.isPixelData() && e.vr().isString() && ds.getString(e.tag()) != null) {
                ds.putString(e.tag(), e.vr(), ds.getString(e.tag()));
            }
        }
    }

    /** A TCP relay that passes the client's bytes on at a limited rate and counts them. */
    static final class SlowProxy implements AutoCloseable {
        final AtomicLong forwarded = new AtomicLong();
        private final ServerSocket listen;
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        SlowProxy(int target, int bytesPerSecond) throws IOException {
            listen = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try (Socket client = listen.accept(); Socket upstream = new Socket("127.0.0.1", target)) {
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread back = new Thread(() -> pump(upstream, client, 0));
                    back.setDaemon(true);
                    back.start();
                    pump(client, upstream, bytesPerSecond);
                } catch (IOException ignored) {
                    // the client was killed
                }
            }, "slow-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listen.getLocalPort();
        }

        private void pump(Socket from, Socket to, int rate) {
            byte[] buf = new byte[rate == 0 ? 65536 : Math.max(1024, rate / 20)];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (rate > 0) {
                        forwarded.addAndGet(n);
                        Thread.sleep(1000L * n / rate);
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // either side went away
            } finally {
                sockets.forEach(TcpListener::closeQuietly);
            }
        }

        @Override
        public void close() throws IOException {
            listen.close();
            sockets.forEach(TcpListener::closeQuietly);
        }
    }
}
