package org.cxr.ingest.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.dimse.CommandSet;
import org.cxr.dimse.Pdu;
import org.cxr.dimse.PduCodec;
import org.cxr.events.Topics;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service's DICOM SCP against dcmtk (storescu, echoscu) on the real broker, database and
 * store: C-STORE goes through the same intake as an upload (research ids, de-identification,
 * dedupe, events), and a transfer cut off mid-way records nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class DicomIntakeTest {
    static final long RUN = TestDicoms.runBase();

    @Inject
    DimseIntake dimse;
    @Inject
    Pseudonyms pseudonyms;
    @TempDir
    Path tmp;

    @BeforeAll
    static void peers() {
        Peers.requireDcmtk();
    }

    String studyId(String studyUid) {
        return HospitalFixtures.column("select study_id from study where study_key = ?", pseudonyms.study(studyUid)).get(0);
    }

    @Test
    void cStoreGoesThroughTheSameIntakeAsAnUpload() throws Exception {
        int port = dimse.port().orElseThrow();
        String patient = "MRN-DIMSE-" + RUN;
        TestDicoms.Spec a1 = TestDicoms.spec(patient, RUN + 1, 1);
        TestDicoms.Spec a2 = TestDicoms.spec(patient, RUN + 1, 2);
        TestDicoms.Spec b1 = TestDicoms.spec(patient, RUN + 2, 1);
        List<Path> files = List.of(
                HospitalFixtures.write(tmp, "a1.dcm", HospitalFixtures.instance(a1, "ACC-D-" + RUN + "-A")),
                HospitalFixtures.write(tmp, "a2.dcm", HospitalFixtures.instance(a2, "ACC-D-" + RUN + "-A")),
                HospitalFixtures.write(tmp, "b1.dcm", HospitalFixtures.instance(b1, "ACC-D-" + RUN + "-B")));
        Peers.Result r = Peers.storescu("three", port, "STORESCU", files, "-xe");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.log().split("Received Store Response \\(Success\\)", -1)).as(r.toString()).hasSize(4);

        String studyA = studyId(a1.studyUid());
        String studyB = studyId(b1.studyUid());
        assertThat(Infra.count("select count(*) from instance where study_id = ? and source = 'DIMSE'", studyA)).isEqualTo(2);
        assertThat(Infra.count("select count(*) from instance where study_id = ? and source = 'DIMSE'", studyB)).isEqualTo(1);
        List<EventTap.Event> events = EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, studyA), 2);
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.value()).contains("\"source\":\"DIMSE\""));
        // the accession number is kept as a keyed digest only, for reports to match on
        assertThat(Infra.count("select count(*) from study_accession where study_id = ? and accession_key = ?", studyA,
                pseudonyms.accession("ACC-D-" + RUN + "-A"))).isEqualTo(1);
        // de-identified as any upload: no name, no accession number, no original UID in the stored bytes
        String key = HospitalFixtures.column("select object_key from instance where study_id = ? limit 1", studyA).get(0);
        String stored = new String(Infra.store().get("cxr-dicom", key), StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain("Quackenbush").doesNotContain("ACC-D-" + RUN).doesNotContain(a1.studyUid())
                .doesNotContain(patient);

        // sent again: success for the sender (DUPLICATE), nothing new recorded or announced
        Peers.Result again = Peers.storescu("three-again", port, "STORESCU", files, "-xe");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(Infra.count("select count(*) from instance where study_id in (?, ?)", studyA, studyB)).isEqualTo(3);
        Thread.sleep(1500);
        assertThat(EventTap.get().matching(EventTap.study(Topics.INSTANCE_RECEIVED, studyA))).hasSize(2);

        // the same SOP instance with other bytes: refused 0x0111, recorded as a conflict, original kept
        Path changed = HospitalFixtures.write(tmp, "a1-changed.dcm", HospitalFixtures.instance(a1.withSeed(99), "ACC-D-" + RUN + "-A"));
        Peers.Result conflict = Peers.storescu("conflict", port, "STORESCU", List.of(changed), "-xe");
        assertThat(conflict.log()).as(conflict.toString()).contains("Received Store Response (Unknown Status: 0x111)");
        assertThat(Infra.count("select count(*) from instance_conflict c join instance i using (dicom_id) where i.study_id = ?",
                studyA)).isEqualTo(1);
    }

    @Test
    void verificationAndTheAllowList() throws Exception {
        int port = dimse.port().orElseThrow();
        Peers.Result ok = Peers.echoscu("echo", port, "ECHOSCU");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        Peers.Result stranger = Peers.echoscu("echo-stranger", port, "MODALITY_X");
        assertThat(stranger.exit()).isNotZero();
        assertThat(stranger.log()).as(stranger.toString()).contains("Calling AE Title Not Recognized");
    }

    @Test
    void notAcceptedSopClassAndRefusedContentGetTheirStatus() throws Exception {
        int port = dimse.port().orElseThrow();
        // a secondary capture: not among the accepted SOP classes (CR, DX), refused in its presentation context
        org.cxr.dicom.Dataset sc = TestDicoms.dataset(TestDicoms.spec("MRN-DIMSE-SC-" + RUN, RUN + 5, 1));
        sc.putString(org.cxr.dicom.Tag.SOPClassUID, org.cxr.dicom.VR.UI, UID.SECONDARY_CAPTURE_IMAGE_STORAGE);
        Path scFile = HospitalFixtures.write(tmp, "sc.dcm",
                org.cxr.dicom.DicomWriter.toBytes(sc, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // an instance without PatientID: the intake refuses it (MISSING_UID) and storescu hears why
        org.cxr.dicom.Dataset noPatient = TestDicoms.dataset(TestDicoms.spec("x", RUN + 6, 1));
        noPatient.remove(org.cxr.dicom.Tag.PatientID);
        Path noPatientFile = HospitalFixtures.write(tmp, "nopatient.dcm",
                org.cxr.dicom.DicomWriter.toBytes(noPatient, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        long before = Infra.count("select count(*) from instance");
        Peers.Result r = Peers.storescu("refused", port, "STORESCU", List.of(scFile, noPatientFile), "-xe");
        assertThat(r.log()).as(r.toString()).contains("No presentation context for: (SC)")
                .contains("Received Store Response (Error: CannotUnderstand)");
        assertThat(Infra.count("select count(*) from instance")).isEqualTo(before);
    }

    /** A peer that stops mid data set (an A-ABORT after half the bytes): nothing recorded, nothing announced, no file left. */
    @Test
    void anAssociationAbortedMidTransferLeavesNothing() throws Exception {
        int port = dimse.port().orElseThrow();
        TestDicoms.Spec spec = TestDicoms.spec("MRN-DIMSE-ABORT-" + RUN, RUN + 7, 1);
        byte[] part10 = TestDicoms.sized(spec, 2_000_000);
        byte[] dataset = java.util.Arrays.copyOfRange(part10, datasetStart(part10), part10.length);
        long instances = Infra.count("select count(*) from instance");
        int events = EventTap.get().all().size();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(PduCodec.encode(new Pdu.AssociateRq(1, "CXR_INGEST", "RAWPEER", Pdu.APPLICATION_CONTEXT,
                    List.of(new Pdu.PresentationContextRq(1, UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION,
                            List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))),
                    new Pdu.UserInfo(16384, "1.2.3", "RAW", -1, -1, List.of()))));
            InputStream in = s.getInputStream();
            assertThat(PduCodec.read(in, 0, 1 << 20)).isInstanceOf(Pdu.AssociateAc.class);
            CommandSet store = new CommandSet().putUID(CommandSet.AFFECTED_SOP_CLASS_UID, UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION)
                    .putUS(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RQ).putUS(CommandSet.MESSAGE_ID, 1)
                    .putUS(CommandSet.PRIORITY, 0).putUS(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                    .putUID(CommandSet.AFFECTED_SOP_INSTANCE_UID, spec.sopUid());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PduCodec.writePData(out, 1, true, store.encode(), 16384);
            s.getOutputStream().write(out.toByteArray());
            // half of the data set, no fragment flagged last, then the peer gives up
            for (int off = 0; off < dataset.length / 2; off += 16000) {
                int n = Math.min(16000, dataset.length / 2 - off);
                s.getOutputStream().write(PduCodec.encode(new Pdu.PData(List.of(new Pdu.Pdv(1, false, false, dataset, off, n)))));
            }
            s.getOutputStream().write(PduCodec.encode(new Pdu.Abort(0, 0)));
            s.getOutputStream().flush();
        }
        Thread.sleep(1500);
        assertThat(Infra.count("select count(*) from instance")).isEqualTo(instances);
        assertThat(Infra.count("select count(*) from instance_id i join study s using (study_id) where s.study_key = ?",
                pseudonyms.study(spec.studyUid()))).isZero();
        assertThat(EventTap.get().all()).hasSize(events);
        try (var files = Files.list(Path.of("target/dimse-work"))) {
            assertThat(files.toList()).as("no data set left in the work directory").isEmpty();
        }
    }

    /** Where the data set begins in a Part 10 file we wrote: after the preamble and the meta group. */
    static int datasetStart(byte[] part10) throws Exception {
        return 132 + 12 + org.cxr.dicom.DicomReader.read(part10).fileMeta()
                .getInt(org.cxr.dicom.Tag.FileMetaInformationGroupLength).orElseThrow();
    }
}
