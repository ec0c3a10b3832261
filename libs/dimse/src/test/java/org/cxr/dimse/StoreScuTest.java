package org.cxr.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.cxr.dicom.DicomReader;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SCU against our SCP and against dcmtk's storescp: each file in its own syntax, data sets intact. */
class StoreScuTest {
    static Path dicom;
    @TempDir
    Path tmp;

    @BeforeAll
    static void data() {
        dicom = SharedData.require("data/dicom");
    }

    static final Set<String> CLASSES = Set.of(DcmtkPeerTest.MR, UID.SECONDARY_CAPTURE_IMAGE_STORAGE, UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE);

    List<Path> files() {
        // distinct SOP instances (the MR_small_* files share one): explicit LE, deflated (odd length on disk),
        // implicit LE without file meta, JPEG extended, JPEG 2000
        return List.of(dicom.resolve("syntax-small/MR_small.dcm"), dicom.resolve("syntax-small/image_dfl.dcm"),
                dicom.resolve("chest/CR-MONO1-10-chest.dcm"), dicom.resolve("syntax-small/JPGExtended.dcm"),
                dicom.resolve("cr-wg04/RG3_J2KI.dcm"));
    }

    @Test
    void sendsEachFileInItsOwnSyntaxToOurScp() throws Exception {
        Recorder recorder = new Recorder(Files.createDirectories(tmp.resolve("in")));
        try (DimseServer server = DimseServer.start(ScpConfig.builder("SCP").bind("127.0.0.1", 0)
                .allowedPeers(List.of(AllowedPeer.of("SCU"))).storageSopClasses(CLASSES).maxPduLength(8192)
                .workDir(tmp.resolve("work")).build(), recorder, null)) {
            try (StoreScu scu = StoreScu.open("127.0.0.1", server.port(), "SCU", "SCP", CLASSES, TransferSyntax.convertible(),
                    Duration.ofSeconds(10))) {
                for (Path f : files()) {
                    assertThat(scu.store(f).isSuccess()).as(f.toString()).isTrue();
                }
            }
            assertThatThrownBy(() -> StoreScu.open("127.0.0.1", server.port(), "SCU", "OTHER", CLASSES,
                    TransferSyntax.convertible(), Duration.ofSeconds(10))).hasMessageContaining("reason 7");
        }
        assertThat(recorder.stored).hasSize(files().size());
        for (int i = 0; i < files().size(); i++) {
            assertThat(recorder.stored.get(i).request().transferSyntaxUid()).isEqualTo(DicomReader.read(files().get(i)).transferSyntax().uid());
            assertThat(DcmtkPeerTest.normalized(DicomReader.read(recorder.stored.get(i).copy())))
                    .as(files().get(i).toString()).isEqualTo(DcmtkPeerTest.normalized(DicomReader.read(files().get(i))));
        }
    }

    @Test
    void sendsToDcmtkStorescp() throws Exception {
        Dcmtk.require();
        Path out = Files.createDirectories(tmp.resolve("storescp"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process scp = Dcmtk.start("storescp-from-storescu-java", List.of("storescp", "-v", "-aet", "SCP", "-od", out.toString(),
                "+xa", "-pdu", "4096", String.valueOf(port)));
        try {
            ScpThroughputBench.awaitListening(port);
            try (StoreScu scu = StoreScu.open("127.0.0.1", port, "SCU", "SCP", CLASSES, TransferSyntax.convertible(),
                    Duration.ofSeconds(10))) {
                for (Path f : files()) {
                    assertThat(scu.store(f).isSuccess()).as(f.toString()).isTrue();
                }
            }
        } finally {
            scp.destroy();
            scp.waitFor(10, TimeUnit.SECONDS);
        }
        List<Path> received;
        try (var s = Files.list(out)) {
            received = s.sorted().toList();
        }
        assertThat(received).hasSize(files().size());
        for (Path f : files()) {
            String sop = DicomReader.read(f).dataset().getString(org.cxr.dicom.Tag.SOPInstanceUID);
            Path match = received.stream().filter(r -> {
                try {
                    return sop.equals(DicomReader.read(r).dataset().getString(org.cxr.dicom.Tag.SOPInstanceUID));
                } catch (Exception e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new IOException("storescp did not write " + f));
            assertThat(DcmtkPeerTest.normalized(DicomReader.read(match))).as(f.toString())
                    .isEqualTo(DcmtkPeerTest.normalized(DicomReader.read(f)));
        }
    }
}
