package org.cxr.dimse;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cxr.dimse.Pdu.Abort;
import org.cxr.dimse.Pdu.AssociateAc;
import org.cxr.dimse.Pdu.AssociateRj;
import org.cxr.dimse.Pdu.AssociateRq;
import org.cxr.dimse.Pdu.PData;
import org.cxr.dimse.Pdu.Pdv;
import org.cxr.dimse.Pdu.PresentationContextAc;
import org.cxr.dimse.Pdu.PresentationContextRq;
import org.cxr.dimse.Pdu.ReleaseRp;
import org.cxr.dimse.Pdu.ReleaseRq;
import org.cxr.dimse.Pdu.RoleSelection;
import org.cxr.dimse.Pdu.UserInfo;

import static org.cxr.dimse.Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE;
import static org.cxr.dimse.Pdu.AbortReason.UNEXPECTED_PDU_PARAMETER;
import static org.cxr.dimse.Pdu.AbortReason.UNRECOGNIZED_PDU;
import static org.cxr.dimse.Pdu.AbortReason.UNRECOGNIZED_PDU_PARAMETER;

/**
 * Reads and writes upper-layer PDUs (PS3.8 §9.3): a 6-byte header (type, reserved, 32-bit
 * big-endian length) and a body whose items carry 16-bit big-endian lengths. Reading is strict:
 * a length that runs past its container, a fixed-size PDU of another size, an unknown PDU or item
 * type, a PDU over the negotiated maximum, a missing mandatory item — each is a
 * {@link PduException} with the A-ABORT reason to answer with. Reserved fields are not tested
 * (PS3.8 says so), trailing NUL/space padding of UIDs is tolerated.
 */
public final class PduCodec {
    /** Type, reserved byte, 4-byte length. */
    public static final int HEADER_LENGTH = 6;
    /** PDV item length (4), presentation context id (1), message control header (1). */
    public static final int PDV_OVERHEAD = 6;

    private static final int ITEM_APPLICATION_CONTEXT = 0x10;
    private static final int ITEM_PRESENTATION_CONTEXT_RQ = 0x20;
    private static final int ITEM_PRESENTATION_CONTEXT_AC = 0x21;
    private static final int ITEM_ABSTRACT_SYNTAX = 0x30;
    private static final int ITEM_TRANSFER_SYNTAX = 0x40;
    private static final int ITEM_USER_INFO = 0x50;
    private static final int SUB_MAX_LENGTH = 0x51;
    private static final int SUB_IMPLEMENTATION_CLASS = 0x52;
    private static final int SUB_ASYNC_OPS = 0x53;
    private static final int SUB_ROLE_SELECTION = 0x54;
    private static final int SUB_IMPLEMENTATION_VERSION = 0x55;
    private static final int FIXED_BODY = 4;
    private static final int ASSOCIATE_FIXED = 68;
    private static final int UID_MAX = 64;

    private PduCodec() {
    }

    /**
     * Reads one PDU.
     *
     * @param maxPDataLength the maximum P-DATA-TF length this side announced (0 = no limit)
     * @param maxOtherLength the maximum length of any other PDU (association requests are a few KB)
     * @return the PDU, or null when the stream ended cleanly before its first byte
     * @throws EOFException when the stream ends inside a PDU
     */
    public static Pdu read(InputStream in, long maxPDataLength, long maxOtherLength) throws IOException, PduException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        byte[] h = readFully(in, HEADER_LENGTH - 1);
        long length = u32(h, 1);
        if (type < Pdu.ASSOCIATE_RQ || type > Pdu.ABORT) {
            throw new PduException(UNRECOGNIZED_PDU, String.format("unknown PDU type 0x%02X", type));
        }
        long limit = type == Pdu.P_DATA_TF ? maxPDataLength : maxOtherLength;
        if (limit > 0 && length > limit) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "PDU type " + type + " of " + length
                    + " bytes is over the negotiated maximum of " + limit);
        }
        return decode(type, readFully(in, (int) length));
    }

    /** Decodes a PDU body (everything after the 6-byte header). */
    public static Pdu decode(int type, byte[] b) throws PduException {
        switch (type) {
            case Pdu.ASSOCIATE_RQ:
            case Pdu.ASSOCIATE_AC:
                return associate(type, b);
            case Pdu.ASSOCIATE_RJ:
                fixed(type, b);
                return new AssociateRj(b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF);
            case Pdu.P_DATA_TF:
                return pData(b);
            case Pdu.RELEASE_RQ:
                fixed(type, b);
                return new ReleaseRq();
            case Pdu.RELEASE_RP:
                fixed(type, b);
                return new ReleaseRp();
            case Pdu.ABORT:
                fixed(type, b);
                return new Abort(b[2] & 0xFF, b[3] & 0xFF);
            default:
                throw new PduException(UNRECOGNIZED_PDU, String.format("unknown PDU type 0x%02X", type));
        }
    }

    private static void fixed(int type, byte[] b) throws PduException {
        if (b.length != FIXED_BODY) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "PDU type " + type + " has length " + b.length
                    + ", must be " + FIXED_BODY);
        }
    }

    private static PData pData(byte[] b) throws PduException {
        List<Pdv> pdvs = new ArrayList<>();
        int p = 0;
        while (p < b.length) {
            if (p + 4 > b.length) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, "PDV item header cut off at byte " + p);
            }
            long len = u32(b, p);
            if (len < 2 || len > b.length - p - 4) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, "PDV item length " + len + " does not fit the PDU");
            }
            int ctx = b[p + 4] & 0xFF;
            int mch = b[p + 5] & 0xFF;
            pdvs.add(new Pdv(ctx, (mch & 1) != 0, (mch & 2) != 0, b, p + 6, (int) len - 2));
            p += 4 + (int) len;
        }
        if (pdvs.isEmpty()) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without a PDV");
        }
        return new PData(pdvs);
    }

    private static Pdu associate(int type, byte[] b) throws PduException {
        if (b.length < ASSOCIATE_FIXED) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE PDU of " + b.length + " bytes is too short");
        }
        int version = u16(b, 0);
        String called = aeTitle(b, 4);
        String calling = aeTitle(b, 20);
        String appContext = null;
        List<PresentationContextRq> rq = new ArrayList<>();
        List<PresentationContextAc> ac = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        UserInfo user = null;
        int p = ASSOCIATE_FIXED;
        while (p < b.length) {
            int itemType = b[p] & 0xFF;
            int len = itemLength(b, p);
            int v = p + 4;
            switch (itemType) {
                case ITEM_APPLICATION_CONTEXT -> {
                    if (appContext != null) {
                        throw new PduException(UNEXPECTED_PDU_PARAMETER, "two application context items");
                    }
                    appContext = uid(b, v, len, "application context name");
                }
                case ITEM_PRESENTATION_CONTEXT_RQ, ITEM_PRESENTATION_CONTEXT_AC -> {
                    boolean isRq = itemType == ITEM_PRESENTATION_CONTEXT_RQ;
                    if (isRq != (type == Pdu.ASSOCIATE_RQ)) {
                        throw new PduException(UNEXPECTED_PDU_PARAMETER, String.format(
                                "presentation context item 0x%02X in an A-ASSOCIATE-%s", itemType, type == Pdu.ASSOCIATE_RQ ? "RQ" : "AC"));
                    }
                    if (len < 4) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "presentation context item of " + len + " bytes");
                    }
                    int id = b[v] & 0xFF;
                    if ((id & 1) == 0 || !ids.add(id)) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "presentation context id " + id
                                + ((id & 1) == 0 ? " is not odd" : " is used twice"));
                    }
                    if (isRq) {
                        rq.add(contextRq(b, id, v + 4, v + len));
                    } else {
                        ac.add(contextAc(b, id, b[v + 2] & 0xFF, v + 4, v + len));
                    }
                }
                case ITEM_USER_INFO -> {
                    if (user != null) {
                        throw new PduException(UNEXPECTED_PDU_PARAMETER, "two user information items");
                    }
                    user = userInfo(b, v, v + len);
                }
                default -> throw new PduException(UNRECOGNIZED_PDU_PARAMETER, String.format("unknown item type 0x%02X", itemType));
            }
            p = v + len;
        }
        if (appContext == null) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "no application context item");
        }
        if (rq.isEmpty() && ac.isEmpty()) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "no presentation context item");
        }
        if (user == null) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "no user information item (maximum length is mandatory)");
        }
        return type == Pdu.ASSOCIATE_RQ
                ? new AssociateRq(version, called, calling, appContext, List.copyOf(rq), user)
                : new AssociateAc(version, called, calling, appContext, List.copyOf(ac), user);
    }

    private static PresentationContextRq contextRq(byte[] b, int id, int p, int end) throws PduException {
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (p < end) {
            int sub = b[p] & 0xFF;
            int len = subLength(b, p, end);
            String uid = uid(b, p + 4, len, "syntax name");
            if (sub == ITEM_ABSTRACT_SYNTAX) {
                if (abstractSyntax != null) {
                    throw new PduException(UNEXPECTED_PDU_PARAMETER, "presentation context " + id + " has two abstract syntaxes");
                }
                abstractSyntax = uid;
            } else if (sub == ITEM_TRANSFER_SYNTAX) {
                ts.add(uid);
            } else {
                throw new PduException(UNRECOGNIZED_PDU_PARAMETER, String.format("unknown sub-item 0x%02X in presentation context %d", sub, id));
            }
            p += 4 + len;
        }
        if (abstractSyntax == null || ts.isEmpty()) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "presentation context " + id
                    + " lacks an abstract syntax or a transfer syntax");
        }
        return new PresentationContextRq(id, abstractSyntax, List.copyOf(ts));
    }

    private static PresentationContextAc contextAc(byte[] b, int id, int result, int p, int end) throws PduException {
        String ts = null;
        while (p < end) {
            int sub = b[p] & 0xFF;
            int len = subLength(b, p, end);
            if (sub != ITEM_TRANSFER_SYNTAX || ts != null) {
                throw new PduException(UNEXPECTED_PDU_PARAMETER, "presentation context " + id + " answer must hold one transfer syntax");
            }
            ts = len == 0 ? "" : uid(b, p + 4, len, "transfer syntax");
            p += 4 + len;
        }
        if (result > PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED || result == PresentationContextAc.ACCEPTANCE && (ts == null || ts.isEmpty())) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "presentation context " + id + " answer: result " + result
                    + (ts == null ? " without transfer syntax" : ""));
        }
        return new PresentationContextAc(id, result, ts);
    }

    private static UserInfo userInfo(byte[] b, int p, int end) throws PduException {
        long max = -1;
        String implClass = null;
        String implVersion = null;
        int invoked = -1;
        int performed = -1;
        List<RoleSelection> roles = new ArrayList<>();
        while (p < end) {
            int sub = b[p] & 0xFF;
            int len = subLength(b, p, end);
            int v = p + 4;
            switch (sub) {
                case SUB_MAX_LENGTH -> {
                    if (len != 4) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "maximum length sub-item of " + len + " bytes");
                    }
                    max = u32(b, v);
                }
                case SUB_IMPLEMENTATION_CLASS -> implClass = uid(b, v, len, "implementation class UID");
                case SUB_IMPLEMENTATION_VERSION -> {
                    if (len > 16) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "implementation version name of " + len + " bytes");
                    }
                    implVersion = new String(b, v, len, StandardCharsets.US_ASCII).trim();
                }
                case SUB_ASYNC_OPS -> {
                    if (len != 4) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "asynchronous operations sub-item of " + len + " bytes");
                    }
                    invoked = u16(b, v);
                    performed = u16(b, v + 2);
                }
                case SUB_ROLE_SELECTION -> {
                    int uidLen = len >= 2 ? u16(b, v) : -1;
                    if (uidLen < 0 || uidLen + 4 != len) {
                        throw new PduException(INVALID_PDU_PARAMETER_VALUE, "role selection sub-item lengths disagree");
                    }
                    roles.add(new RoleSelection(uid(b, v + 2, uidLen, "role selection SOP class"),
                            b[v + 2 + uidLen] & 0xFF, b[v + 3 + uidLen] & 0xFF));
                }
                default -> {
                    // extended negotiation (0x56, 0x57), user identity (0x58, 0x59) and later
                    // sub-items: optional, and not answering them means "not supported"
                }
            }
            p = v + len;
        }
        if (max < 0) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "user information without the maximum length sub-item");
        }
        return new UserInfo(max, implClass, implVersion, invoked, performed, List.copyOf(roles));
    }

    private static int itemLength(byte[] b, int p) throws PduException {
        if (p + 4 > b.length) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "item header cut off at byte " + p);
        }
        int len = u16(b, p + 2);
        if (p + 4 + len > b.length) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, String.format(
                    "item 0x%02X of %d bytes runs past the end of the PDU", b[p] & 0xFF, len));
        }
        return len;
    }

    private static int subLength(byte[] b, int p, int end) throws PduException {
        if (p + 4 > end) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "sub-item header cut off");
        }
        int len = u16(b, p + 2);
        if (p + 4 + len > end) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, String.format(
                    "sub-item 0x%02X of %d bytes runs past its item", b[p] & 0xFF, len));
        }
        return len;
    }

    /** A UID value: digits and dots, at most 64 characters; trailing NUL or space padding tolerated. */
    private static String uid(byte[] b, int off, int len, String what) throws PduException {
        int end = off + len;
        while (end > off && (b[end - 1] == 0 || b[end - 1] == ' ')) {
            end--;
        }
        if (end == off || end - off > UID_MAX) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, what + " is empty or longer than 64 characters");
        }
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c != '.' && (c < '0' || c > '9')) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, what + " is not a UID");
            }
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** 16 bytes, leading and trailing spaces not significant (PS3.5 AE). Checked by the association. */
    private static String aeTitle(byte[] b, int off) {
        return new String(b, off, 16, StandardCharsets.ISO_8859_1).replace('\0', ' ').strip();
    }

    // ---- writing -------------------------------------------------------------------------

    /** The whole PDU, header included. */
    public static byte[] encode(Pdu pdu) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        DataOutputStream d = new DataOutputStream(body);
        try {
            if (pdu instanceof AssociateRq rq) {
                associateHeader(d, rq.protocolVersion(), rq.calledAe(), rq.callingAe(), rq.applicationContext());
                for (PresentationContextRq pc : rq.contexts()) {
                    ByteArrayOutputStream v = new ByteArrayOutputStream();
                    DataOutputStream dv = new DataOutputStream(v);
                    dv.write(new byte[]{(byte) pc.id(), 0, 0, 0});
                    item(dv, ITEM_ABSTRACT_SYNTAX, ascii(pc.abstractSyntax()));
                    for (String ts : pc.transferSyntaxes()) {
                        item(dv, ITEM_TRANSFER_SYNTAX, ascii(ts));
                    }
                    item(d, ITEM_PRESENTATION_CONTEXT_RQ, v.toByteArray());
                }
                userInfo(d, rq.userInfo());
            } else if (pdu instanceof AssociateAc ac) {
                associateHeader(d, ac.protocolVersion(), ac.calledAe(), ac.callingAe(), ac.applicationContext());
                for (PresentationContextAc pc : ac.contexts()) {
                    ByteArrayOutputStream v = new ByteArrayOutputStream();
                    DataOutputStream dv = new DataOutputStream(v);
                    dv.write(new byte[]{(byte) pc.id(), 0, (byte) pc.result(), 0});
                    item(dv, ITEM_TRANSFER_SYNTAX, ascii(pc.transferSyntax() == null ? "" : pc.transferSyntax()));
                    item(d, ITEM_PRESENTATION_CONTEXT_AC, v.toByteArray());
                }
                userInfo(d, ac.userInfo());
            } else if (pdu instanceof AssociateRj rj) {
                d.write(new byte[]{0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()});
            } else if (pdu instanceof PData pd) {
                for (Pdv v : pd.pdvs()) {
                    d.writeInt(v.length() + 2);
                    d.writeByte(v.contextId());
                    d.writeByte((v.command() ? 1 : 0) | (v.last() ? 2 : 0));
                    d.write(v.array(), v.offset(), v.length());
                }
            } else if (pdu instanceof Abort a) {
                d.write(new byte[]{0, 0, (byte) a.source(), (byte) a.reason()});
            } else {
                d.writeInt(0); // A-RELEASE-RQ/RP: 4 reserved bytes
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + HEADER_LENGTH);
            DataOutputStream out = new DataOutputStream(all);
            out.writeByte(pdu.type());
            out.writeByte(0);
            out.writeInt(body.size());
            body.writeTo(out);
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
    }

    /**
     * Sends a command set or data set as P-DATA-TF PDUs of one PDV each, every PDU's variable
     * field within {@code peerMaxLength} (0 = the peer set no limit), the last fragment flagged.
     */
    public static void writePData(OutputStream out, int contextId, boolean command, byte[] data, long peerMaxLength)
            throws IOException {
        int fragment = peerMaxLength <= 0 ? Math.max(data.length, 1)
                : (int) Math.max(1, Math.min(Integer.MAX_VALUE, peerMaxLength - PDV_OVERHEAD));
        int off = 0;
        do {
            int n = Math.min(fragment, data.length - off);
            boolean last = off + n == data.length;
            DataOutputStream d = new DataOutputStream(out);
            d.writeByte(Pdu.P_DATA_TF);
            d.writeByte(0);
            d.writeInt(n + PDV_OVERHEAD);
            d.writeInt(n + 2);
            d.writeByte(contextId);
            d.writeByte((command ? 1 : 0) | (last ? 2 : 0));
            d.write(data, off, n);
            off += n;
        } while (off < data.length);
    }

    private static void associateHeader(DataOutputStream d, int version, String called, String calling, String appContext)
            throws IOException {
        d.writeShort(version);
        d.writeShort(0);
        d.write(ae(called));
        d.write(ae(calling));
        d.write(new byte[32]);
        item(d, ITEM_APPLICATION_CONTEXT, ascii(appContext));
    }

    private static void userInfo(DataOutputStream d, UserInfo u) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        DataOutputStream dv = new DataOutputStream(v);
        dv.writeByte(SUB_MAX_LENGTH);
        dv.writeByte(0);
        dv.writeShort(4);
        dv.writeInt((int) u.maxLength());
        if (u.implementationClassUid() != null) {
            item(dv, SUB_IMPLEMENTATION_CLASS, ascii(u.implementationClassUid()));
        }
        if (u.asyncOpsInvoked() >= 0) {
            dv.writeByte(SUB_ASYNC_OPS);
            dv.writeByte(0);
            dv.writeShort(4);
            dv.writeShort(u.asyncOpsInvoked());
            dv.writeShort(u.asyncOpsPerformed());
        }
        for (RoleSelection r : u.roles()) {
            byte[] uid = ascii(r.sopClassUid());
            dv.writeByte(SUB_ROLE_SELECTION);
            dv.writeByte(0);
            dv.writeShort(uid.length + 4);
            dv.writeShort(uid.length);
            dv.write(uid);
            dv.writeByte(r.scuRole());
            dv.writeByte(r.scpRole());
        }
        if (u.implementationVersionName() != null) {
            item(dv, SUB_IMPLEMENTATION_VERSION, ascii(u.implementationVersionName()));
        }
        item(d, ITEM_USER_INFO, v.toByteArray());
    }

    private static void item(DataOutputStream d, int type, byte[] value) throws IOException {
        d.writeByte(type);
        d.writeByte(0);
        d.writeShort(value.length);
        d.write(value);
    }

    private static byte[] ae(String title) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] t = title.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, Math.min(16, t.length));
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- bytes ---------------------------------------------------------------------------

    static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }
}
