package org.cxr.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input over raw sockets: each case gets the A-ABORT (or A-ASSOCIATE-RJ) with the reason
 * PS3.8 gives for it, its connection is closed, and the listener goes on serving: every test
 * ends with a clean association and C-ECHO.
 */
class BadPeerTest {
    @TempDir
    Path tmp;
    DimseServer server;
    Events events;
    Recorder recorder;

    @BeforeEach
    void start() throws IOException {
        events = new Events();
        recorder = new Recorder(tmp);
        server = DimseServer.start(ScpConfig.builder("CXR_TEST").bind("127.0.0.1", 0)
                .allowedPeers(List.of(AllowedPeer.of("RAW"), AllowedPeer.of("OTHER")))
                .storageSopClasses(Set.of(UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE))
                .maxPduLength(4096).artimTimeout(Duration.ofMillis(400)).idleTimeout(Duration.ofMillis(800))
                .maxAssociations(2).workDir(tmp.resolve("work")).build(), recorder, events);
    }

    @AfterEach
    void stillServingThenStop() throws Exception {
        awaitNoAssociation();
        try (RawPeer good = new RawPeer(server.port())) {
            good.associate("OTHER", "CXR_TEST");
            assertThat(good.echo(7)).as("a well-behaved peer after the bad one").isZero();
            good.send(new Pdu.ReleaseRq());
            assertThat(good.read()).isInstanceOf(Pdu.ReleaseRp.class);
        } finally {
            server.close();
        }
        assertThat(recorder.stored).isEmpty();
    }

    /** The closed peers' connections end on the server's side a moment later. */
    void awaitNoAssociation() throws InterruptedException {
        for (int i = 0; i < 100 && server.activeAssociations() > 0; i++) {
            Thread.sleep(20);
        }
    }

    static Pdu.Abort expectAbort(RawPeer peer) throws Exception {
        Pdu answer = peer.read();
        assertThat(answer).isInstanceOf(Pdu.Abort.class);
        return (Pdu.Abort) answer;
    }

    @Test
    void nonDicomBytesAreAbortedAsUnrecognizedPdu() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Pdu.Abort a = expectAbort(peer);
            assertThat(a.source()).isEqualTo(Pdu.AbortReason.SOURCE_PROVIDER);
            assertThat(a.reason()).isEqualTo(Pdu.AbortReason.UNRECOGNIZED_PDU);
            assertThat(peer.closedWithin(2000)).isTrue();
        }
        events.await(l -> l.startsWith("closed A-ABORT before association (unrecognized PDU: unknown PDU type 0x47)"), 5);
    }

    @Test
    void anotherPduBeforeTheAssociationRequestIsUnexpected() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new Pdu.ReleaseRq());
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.UNEXPECTED_PDU);
        }
    }

    @Test
    void malformedAssociationRequests() throws Exception {
        byte[] good = PduCodec.encode(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(1)));
        // an item length that runs past the PDU
        byte[] overrun = good.clone();
        overrun[6 + 68 + 2] = 0x7F;
        // a PDU length shorter than the fixed fields
        byte[] shortPdu = {1, 0, 0, 0, 0, 10, 0, 1, 0, 0, 'A', 'B', 'C', 'D', 'E', 'F'};
        // an even presentation context id
        byte[] even = PduCodec.encode(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(2)));
        // an unknown item type
        byte[] unknownItem = good.clone();
        unknownItem[6 + 68] = 0x77;
        for (byte[] bad : List.of(overrun, shortPdu, even, unknownItem)) {
            try (RawPeer peer = new RawPeer(server.port())) {
                peer.send(bad);
                Pdu.Abort a = expectAbort(peer);
                assertThat(a.reason()).isIn(Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE, Pdu.AbortReason.UNRECOGNIZED_PDU_PARAMETER);
                assertThat(peer.closedWithin(2000)).isTrue();
            }
        }
        assertThat(events.lines).filteredOn(l -> l.contains("unrecognized PDU parameter: unknown item type 0x77")).hasSize(1);
        assertThat(events.lines).filteredOn(l -> l.contains("presentation context id 2 is not odd")).hasSize(1);
    }

    @Test
    void rejectionsCarryResultSourceAndReason() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new Pdu.AssociateRq(2, "CXR_TEST", "RAW", Pdu.APPLICATION_CONTEXT, List.of(RawPeer.verification(1)),
                    new Pdu.UserInfo(0, null, null, -1, -1, List.of())));
            assertThat(peer.read()).isEqualTo(new Pdu.AssociateRj(1, 2, 2)); // protocol version not supported
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new Pdu.AssociateRq(1, "CXR_TEST", "RAW", "1.2.3", List.of(RawPeer.verification(1)),
                    new Pdu.UserInfo(0, null, null, -1, -1, List.of())));
            assertThat(peer.read()).isEqualTo(new Pdu.AssociateRj(1, 1, 2)); // application context not supported
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.request("raw", "CXR_TEST", RawPeer.verification(1))); // AE titles are case-sensitive
            assertThat(peer.read()).isEqualTo(new Pdu.AssociateRj(1, 1, 3));
            assertThat(peer.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void associationsOverTheLimitGetTransientLocalLimitExceeded() throws Exception {
        try (RawPeer a = new RawPeer(server.port()); RawPeer b = new RawPeer(server.port()); RawPeer c = new RawPeer(server.port())) {
            a.associate("RAW", "CXR_TEST");
            b.associate("RAW", "CXR_TEST");
            c.send(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(1)));
            assertThat(c.read()).isEqualTo(new Pdu.AssociateRj(2, 3, 2));
            assertThat(server.activeAssociations()).isEqualTo(2);
            a.send(new Pdu.ReleaseRq());
            assertThat(a.read()).isInstanceOf(Pdu.ReleaseRp.class);
        }
    }

    @Test
    void protocolErrorsDuringTransferAbortWithTheirReason() throws Exception {
        // unknown PDU type
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            peer.send(new byte[]{0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0});
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.UNRECOGNIZED_PDU);
        }
        // a fixed-size PDU with the wrong length
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            peer.send(new byte[]{0x05, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0});
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE);
        }
        // a P-DATA-TF larger than the maximum we announced (4096)
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            Pdu.AssociateAc ac = peer.associate("RAW", "CXR_TEST");
            assertThat(ac.userInfo().maxLength()).isEqualTo(4096);
            peer.send(new byte[]{0x04, 0, 0, 0, 0x20, 0x00, 0, 0, 0x1F, (byte) 0xFA, 1, 3});
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE);
        }
        // an A-ASSOCIATE-RQ on an established association
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            peer.send(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(1)));
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.UNEXPECTED_PDU);
        }
        // a PDV on a presentation context that was not accepted
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            peer.send(new Pdu.PData(List.of(new Pdu.Pdv(5, true, true, new byte[8], 0, 8))));
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE);
        }
        // a data set fragment that no command announced
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            peer.send(new Pdu.PData(List.of(new Pdu.Pdv(1, false, true, new byte[8], 0, 8))));
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.UNEXPECTED_PDU_PARAMETER);
        }
        // a command set whose group length lies
        awaitNoAssociation();
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            byte[] cmd = new CommandSet().putUS(CommandSet.COMMAND_FIELD, CommandSet.C_ECHO_RQ).encode();
            cmd[8] += 2;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PduCodec.writePData(out, 1, true, cmd, 0);
            peer.send(out.toByteArray());
            assertThat(expectAbort(peer).reason()).isEqualTo(Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE);
            assertThat(peer.closedWithin(2000)).isTrue();
        }
        assertThat(events.lines).filteredOn(l -> l.startsWith("aborted RAW by us")).hasSize(7);
    }

    @Test
    void artimClosesASilentConnectionAndOneThatStaysAfterRelease() throws Exception {
        long t0 = System.nanoTime();
        try (RawPeer silent = new RawPeer(server.port())) {
            assertThat(silent.closedWithin(3000)).as("closed by ARTIM").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        }
        events.await(l -> l.startsWith("closed ARTIM expired"), 5);
        try (RawPeer lingering = new RawPeer(server.port())) {
            lingering.associate("RAW", "CXR_TEST");
            lingering.send(new Pdu.ReleaseRq());
            assertThat(lingering.read()).isInstanceOf(Pdu.ReleaseRp.class);
            // we half-close at once; the connection is held (and counted) until the peer closes or ARTIM expires
            long t1 = System.nanoTime();
            Thread.sleep(150);
            assertThat(server.activeAssociations()).as("still held right after the release").isEqualTo(1);
            while (server.activeAssociations() > 0 && System.nanoTime() - t1 < 3_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(server.activeAssociations()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        }
        // a slow trickle does not keep a connection open past ARTIM either
        try (RawPeer trickle = new RawPeer(server.port())) {
            byte[] rq = PduCodec.encode(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(1)));
            long t2 = System.nanoTime();
            for (int i = 0; i < 10 && System.nanoTime() - t2 < 2_000_000_000L; i++) {
                try {
                    trickle.send(new byte[]{rq[i]});
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(150);
            }
            assertThat(trickle.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void idleAssociationIsAbortedByUs() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.associate("RAW", "CXR_TEST");
            assertThat(peer.echo(1)).isZero();
            Pdu.Abort a = expectAbort(peer);
            assertThat(a.source()).isEqualTo(Pdu.AbortReason.SOURCE_USER);
        }
        events.await(l -> l.startsWith("aborted RAW by us idle"), 5);
    }

    @Test
    void storeOnAStorageContextWithAMismatchingCommandIsRefusedNotAborted() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(RawPeer.request("RAW", "CXR_TEST", RawPeer.verification(1), new Pdu.PresentationContextRq(3,
                    UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))));
            Pdu.AssociateAc ac = (Pdu.AssociateAc) peer.read();
            assertThat(ac.contexts()).extracting(Pdu.PresentationContextAc::result).containsExactly(0, 0);
            CommandSet store = new CommandSet().putUID(CommandSet.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.5.1.4.1.1.2")
                    .putUS(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RQ).putUS(CommandSet.MESSAGE_ID, 3)
                    .putUS(CommandSet.PRIORITY, 0).putUS(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                    .putUID(CommandSet.AFFECTED_SOP_INSTANCE_UID, "1.2.3.4.5");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PduCodec.writePData(out, 3, true, store.encode(), 0);
            PduCodec.writePData(out, 3, false, new byte[100], 0);
            peer.send(out.toByteArray());
            Pdu.PData rsp = (Pdu.PData) peer.read();
            Pdu.Pdv v = rsp.pdvs().get(0);
            CommandSet c = CommandSet.decode(java.util.Arrays.copyOfRange(v.array(), v.offset(), v.offset() + v.length()));
            assertThat(c.commandField()).isEqualTo(CommandSet.C_STORE_RSP);
            assertThat(c.getUS(CommandSet.STATUS)).isEqualTo(0x0122);
            assertThat(c.getString(CommandSet.ERROR_COMMENT)).contains("SOP class");
            assertThat(peer.echo(4)).isZero(); // the association goes on
        }
    }
}
