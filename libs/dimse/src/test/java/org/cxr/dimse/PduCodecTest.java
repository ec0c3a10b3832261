package org.cxr.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.cxr.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

class PduCodecTest {
    static Pdu roundTrip(Pdu pdu) throws Exception {
        return PduCodec.read(new ByteArrayInputStream(PduCodec.encode(pdu)), 0, 1 << 20);
    }

    @Test
    void associationPdusRoundTrip() throws Exception {
        Pdu.AssociateRq rq = new Pdu.AssociateRq(1, "CALLED", "CALLING", Pdu.APPLICATION_CONTEXT,
                List.of(new Pdu.PresentationContextRq(1, "1.2.840.10008.5.1.4.1.1.1",
                        List.of(TransferSyntax.JPEG_2000, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)),
                        new Pdu.PresentationContextRq(255, ScpConfig.VERIFICATION, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))),
                new Pdu.UserInfo(65536, "1.2.3.4", "X_1", 1, 1, List.of(new Pdu.RoleSelection("1.2.3", 1, 0))));
        assertThat(roundTrip(rq)).isEqualTo(rq);
        Pdu.AssociateAc ac = new Pdu.AssociateAc(1, "CALLED", "CALLING", Pdu.APPLICATION_CONTEXT,
                List.of(new Pdu.PresentationContextAc(1, 0, TransferSyntax.JPEG_2000), new Pdu.PresentationContextAc(3, 3, "1.2.840.10008.1.2")),
                new Pdu.UserInfo(0, "1.2.3.4", null, -1, -1, List.of()));
        assertThat(roundTrip(ac)).isEqualTo(ac);
        for (Pdu p : List.of(new Pdu.AssociateRj(2, 3, 2), new Pdu.ReleaseRq(), new Pdu.ReleaseRp(), new Pdu.Abort(2, 6))) {
            assertThat(roundTrip(p)).isEqualTo(p);
        }
    }

    @Test
    void headerIsBigEndianTypeReservedLength() {
        byte[] b = PduCodec.encode(new Pdu.Abort(2, 1));
        assertThat(b).containsExactly(7, 0, 0, 0, 0, 4, 0, 0, 2, 1);
    }

    @Test
    void pDataIsFragmentedWithinThePeersMaximum() throws Exception {
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PduCodec.writePData(out, 3, false, data, 4096);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        int pdus = 0;
        Pdu p;
        boolean last = false;
        while ((p = PduCodec.read(in, 4096, 1 << 20)) != null) {
            pdus++;
            Pdu.Pdv v = ((Pdu.PData) p).pdvs().get(0);
            assertThat(last).as("nothing after the last fragment").isFalse();
            assertThat(v.contextId()).isEqualTo(3);
            assertThat(v.command()).isFalse();
            back.write(v.array(), v.offset(), v.length());
            last = v.last();
        }
        assertThat(pdus).isEqualTo(3); // 4090 + 4090 + 1820
        assertThat(last).isTrue();
        assertThat(back.toByteArray()).isEqualTo(data);
    }

    @Test
    void strictReading() {
        assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(new byte[]{8, 0, 0, 0, 0, 0}), 0, 100))
                .isInstanceOfSatisfying(PduException.class, e -> assertThat(e.reason()).isEqualTo(Pdu.AbortReason.UNRECOGNIZED_PDU));
        assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(new byte[]{4, 0, 0, 1, 0, 0}), 4096, 100))
                .isInstanceOfSatisfying(PduException.class, e -> assertThat(e.getMessage()).contains("over the negotiated maximum"));
        assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(new byte[]{7, 0, 0, 0, 0, 4, 0, 0}), 0, 100))
                .isInstanceOf(EOFException.class);
        // a PDV whose length runs past its PDU, and one shorter than its header
        assertThatThrownBy(() -> PduCodec.decode(4, new byte[]{0, 0, 0, 9, 1, 3, 0, 0}))
                .isInstanceOf(PduException.class);
        assertThatThrownBy(() -> PduCodec.decode(4, new byte[]{0, 0, 0, 1, 1}))
                .isInstanceOf(PduException.class);
        // an accepted context answer without a transfer syntax
        Pdu.AssociateAc ac = new Pdu.AssociateAc(1, "A", "B", Pdu.APPLICATION_CONTEXT,
                List.of(new Pdu.PresentationContextAc(1, 0, "")), new Pdu.UserInfo(0, null, null, -1, -1, List.of()));
        byte[] b = PduCodec.encode(ac);
        assertThatThrownBy(() -> PduCodec.decode(2, Arrays.copyOfRange(b, 6, b.length))).isInstanceOf(PduException.class);
        // a UID with letters
        Pdu.AssociateRq rq = RawPeer.request("A", "B", new Pdu.PresentationContextRq(1, "1.2.x", List.of("1.2.840.10008.1.2")));
        byte[] r = PduCodec.encode(rq);
        assertThatThrownBy(() -> PduCodec.decode(1, Arrays.copyOfRange(r, 6, r.length)))
                .hasMessageContaining("is not a UID");
    }

    @Test
    void commandSetsAreImplicitLittleEndianWithGroupLength() throws Exception {
        CommandSet c = new CommandSet().putUID(CommandSet.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.1.1")
                .putUS(CommandSet.COMMAND_FIELD, CommandSet.C_ECHO_RQ).putUS(CommandSet.MESSAGE_ID, 258)
                .putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
        byte[] b = c.encode();
        // (0000,0000) UL len 4, value = bytes after it
        assertThat(Arrays.copyOfRange(b, 0, 8)).containsExactly(0, 0, 0, 0, 4, 0, 0, 0);
        assertThat(CommandSet.le32(b, 8)).isEqualTo(b.length - 12);
        // (0000,0002) UI padded with NUL to 18 bytes
        assertThat(Arrays.copyOfRange(b, 12, 20)).containsExactly(0, 0, 2, 0, 18, 0, 0, 0);
        assertThat(b[20 + 17]).isZero();
        CommandSet back = CommandSet.decode(b);
        assertThat(back.commandField()).isEqualTo(0x0030);
        assertThat(back.messageId()).isEqualTo(258);
        assertThat(back.hasDataSet()).isFalse();
        assertThat(back.affectedSopClassUid()).isEqualTo("1.2.840.10008.1.1");
        CommandSet rsp = back.response(DimseStatus.cannotUnderstand("x".repeat(80)));
        CommandSet rspBack = CommandSet.decode(rsp.encode());
        assertThat(rspBack.commandField()).isEqualTo(0x8030);
        assertThat(rspBack.getUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO)).isEqualTo(258);
        assertThat(rspBack.getUS(CommandSet.STATUS)).isEqualTo(0xC000);
        assertThat(rspBack.getString(CommandSet.ERROR_COMMENT)).hasSize(64);
        byte[] outsideGroup = b.clone();
        outsideGroup[12] = 8; // (0008,0002)
        assertThatThrownBy(() -> CommandSet.decode(outsideGroup)).hasMessageContaining("outside group 0000");
    }

    @Test
    void allowListEntries() throws Exception {
        AllowedPeer p = AllowedPeer.parse("main-pacs=PACS1@10.1.2.0/24|192.168.7.7");
        assertThat(p.source()).isEqualTo("main-pacs");
        assertThat(p.admits("PACS1", InetAddress.getByName("10.1.2.200"))).isTrue();
        assertThat(p.admits("PACS1", InetAddress.getByName("10.1.3.1"))).isFalse();
        assertThat(p.admits("PACS1", InetAddress.getByName("192.168.7.7"))).isTrue();
        assertThat(p.admits("pacs1", InetAddress.getByName("192.168.7.7"))).isFalse();
        assertThat(AllowedPeer.parse("CR_ROOM").admits("CR_ROOM", InetAddress.getByName("::1"))).isTrue();
        assertThat(AllowedPeer.parse("V6@fd00::/8").admits("V6", InetAddress.getByName("fd12::1"))).isTrue();
        assertThatThrownBy(() -> AllowedPeer.parse("X@pacs.example.org")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AllowedPeer.parse("A\\B")).hasMessageContaining("AE title");
        assertThatThrownBy(() -> AllowedPeer.parse("SEVENTEEN_CHARS_X")).hasMessageContaining("AE title");
    }
}
