package org.cxr.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.cxr.dimse.Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE;

/**
 * A DIMSE command set (PS3.7 §9.3, §E): group 0000 elements, always Implicit VR Little Endian,
 * with (0000,0000) Command Group Length first. Decoding is strict (every element in group 0000,
 * lengths inside the buffer, the group length right); values are kept as bytes with typed
 * accessors for the VRs commands use (US, UL, UI, AE, LO).
 */
public final class CommandSet {
    public static final int COMMAND_GROUP_LENGTH = 0x00000000;
    public static final int AFFECTED_SOP_CLASS_UID = 0x00000002;
    public static final int COMMAND_FIELD = 0x00000100;
    public static final int MESSAGE_ID = 0x00000110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x00000120;
    public static final int MOVE_DESTINATION = 0x00000600;
    public static final int PRIORITY = 0x00000700;
    public static final int COMMAND_DATA_SET_TYPE = 0x00000800;
    public static final int STATUS = 0x00000900;
    public static final int ERROR_COMMENT = 0x00000902;
    public static final int AFFECTED_SOP_INSTANCE_UID = 0x00001000;
    public static final int MOVE_ORIGINATOR_AE_TITLE = 0x00001030;
    public static final int MOVE_ORIGINATOR_MESSAGE_ID = 0x00001031;

    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    public static final int C_CANCEL_RQ = 0x0FFF;
    /** Command Data Set Type value that means "no data set follows". */
    public static final int NO_DATA_SET = 0x0101;

    /** Command sets are a few hundred bytes; anything this large is not one. */
    public static final int MAX_LENGTH = 64 * 1024;

    private final TreeMap<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

    /** Decodes a complete command set. */
    public static CommandSet decode(byte[] b) throws PduException {
        CommandSet c = new CommandSet();
        int p = 0;
        long groupLength = -1;
        while (p < b.length) {
            if (p + 8 > b.length) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command element header cut off at byte " + p);
            }
            int tag = le16(b, p) << 16 | le16(b, p + 2);
            long len = le32(b, p + 4);
            if (tag >>> 16 != 0) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, String.format(
                        "command set holds element (%04X,%04X) outside group 0000", tag >>> 16, tag & 0xFFFF));
            }
            if (len > b.length - p - 8) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, String.format(
                        "command element (0000,%04X) of length %d runs past the command set", tag & 0xFFFF, len));
            }
            byte[] v = java.util.Arrays.copyOfRange(b, p + 8, p + 8 + (int) len);
            if (tag == COMMAND_GROUP_LENGTH) {
                if (len != 4) {
                    throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command group length of " + len + " bytes");
                }
                groupLength = le32(v, 0);
                if (groupLength != b.length - p - 12) {
                    throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command group length " + groupLength
                            + " but " + (b.length - p - 12) + " bytes follow");
                }
            }
            c.elements.put(tag, v);
            p += 8 + (int) len;
        }
        if (groupLength < 0) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command set without command group length");
        }
        if (!c.elements.containsKey(COMMAND_FIELD)) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command set without command field");
        }
        return c;
    }

    /** Implicit VR LE bytes with a correct group length. */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
            if (e.getKey() != COMMAND_GROUP_LENGTH) {
                element(body, e.getKey(), e.getValue());
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + 12);
        element(all, COMMAND_GROUP_LENGTH, u32le(body.size()));
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int tag, byte[] v) {
        out.writeBytes(new byte[]{(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8)});
        out.writeBytes(u32le(v.length));
        out.writeBytes(v);
    }

    // ---- values --------------------------------------------------------------------------

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** A US value, or -1 when absent or not 2 bytes. */
    public int getUS(int tag) {
        byte[] v = elements.get(tag);
        return v == null || v.length != 2 ? -1 : le16(v, 0);
    }

    /** A UI/AE/LO value without padding (trailing NUL or spaces, leading spaces), or null. */
    public String getString(int tag) {
        byte[] v = elements.get(tag);
        if (v == null) {
            return null;
        }
        return new String(v, StandardCharsets.ISO_8859_1).replace('\0', ' ').strip();
    }

    public CommandSet putUS(int tag, int value) {
        elements.put(tag, new byte[]{(byte) value, (byte) (value >>> 8)});
        return this;
    }

    /** A UI value, NUL-padded to even length. */
    public CommandSet putUID(int tag, String uid) {
        return put(tag, uid, (byte) 0);
    }

    /** An AE/LO value, space-padded to even length (at most 64 characters for LO). */
    public CommandSet putText(int tag, String text) {
        return put(tag, text.length() > 64 ? text.substring(0, 64) : text, (byte) ' ');
    }

    private CommandSet put(int tag, String s, byte pad) {
        byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = (t.length & 1) == 0 ? t : java.util.Arrays.copyOf(t, t.length + 1);
        if (v.length != t.length) {
            v[t.length] = pad;
        }
        elements.put(tag, v);
        return this;
    }

    // ---- the fields every message has -----------------------------------------------------

    public int commandField() {
        return getUS(COMMAND_FIELD);
    }

    public int messageId() {
        return getUS(MESSAGE_ID);
    }

    /** A data set follows this command. */
    public boolean hasDataSet() {
        return getUS(COMMAND_DATA_SET_TYPE) != NO_DATA_SET;
    }

    public String affectedSopClassUid() {
        return getString(AFFECTED_SOP_CLASS_UID);
    }

    public String affectedSopInstanceUid() {
        return getString(AFFECTED_SOP_INSTANCE_UID);
    }

    /** The response to this request: command field | 0x8000, message id responded to, no data set, status. */
    public CommandSet response(DimseStatus status) {
        CommandSet r = new CommandSet();
        r.putUS(COMMAND_FIELD, commandField() | 0x8000);
        if (affectedSopClassUid() != null) {
            r.putUID(AFFECTED_SOP_CLASS_UID, affectedSopClassUid());
        }
        r.putUS(MESSAGE_ID_BEING_RESPONDED_TO, Math.max(0, messageId()));
        r.putUS(COMMAND_DATA_SET_TYPE, NO_DATA_SET);
        r.putUS(STATUS, status.code());
        if (affectedSopInstanceUid() != null) {
            r.putUID(AFFECTED_SOP_INSTANCE_UID, affectedSopInstanceUid());
        }
        if (status.comment() != null && !status.isSuccess()) {
            r.putText(ERROR_COMMENT, status.comment());
        }
        return r;
    }

    static int le16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    static long le32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    private static byte[] u32le(long v) {
        return new byte[]{(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    @Override
    public String toString() {
        return String.format("command 0x%04X message %d", commandField(), messageId());
    }
}
