package org.cxr.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

import org.cxr.dicom.TransferSyntax;

/** A hand-driven peer on a raw socket, to send what no well-behaved SCU sends. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    RawPeer(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(Pdu pdu) throws IOException {
        send(PduCodec.encode(pdu));
    }

    Pdu read() throws IOException, PduException {
        return PduCodec.read(in, 0, 1 << 20);
    }

    /** True when the server closed the connection within {@code millis}. */
    boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            byte[] b = new byte[4096];
            while (true) {
                if (in.read(b) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static Pdu.AssociateRq request(String calling, String called, Pdu.PresentationContextRq... contexts) {
        return new Pdu.AssociateRq(1, called, calling, Pdu.APPLICATION_CONTEXT, List.of(contexts),
                new Pdu.UserInfo(16384, "1.2.3.4", "RAWPEER", -1, -1, List.of()));
    }

    static Pdu.PresentationContextRq verification(int id) {
        return new Pdu.PresentationContextRq(id, ScpConfig.VERIFICATION, List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
    }

    /** Associates with one Verification context (id 1); returns the A-ASSOCIATE-AC. */
    Pdu.AssociateAc associate(String calling, String called) throws IOException, PduException {
        send(request(calling, called, verification(1)));
        Pdu answer = read();
        if (!(answer instanceof Pdu.AssociateAc ac)) {
            throw new AssertionError("expected A-ASSOCIATE-AC, got " + answer);
        }
        return ac;
    }

    /** A C-ECHO-RQ on context 1; returns the response status. */
    int echo(int messageId) throws IOException, PduException {
        CommandSet rq = new CommandSet().putUID(CommandSet.AFFECTED_SOP_CLASS_UID, ScpConfig.VERIFICATION)
                .putUS(CommandSet.COMMAND_FIELD, CommandSet.C_ECHO_RQ).putUS(CommandSet.MESSAGE_ID, messageId)
                .putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PduCodec.writePData(out, 1, true, rq.encode(), 16384);
        send(out.toByteArray());
        Pdu answer = read();
        if (!(answer instanceof Pdu.PData data)) {
            throw new AssertionError("expected P-DATA-TF, got " + answer);
        }
        Pdu.Pdv pdv = data.pdvs().get(0);
        CommandSet rsp = CommandSet.decode(java.util.Arrays.copyOfRange(pdv.array(), pdv.offset(), pdv.offset() + pdv.length()));
        if (rsp.commandField() != CommandSet.C_ECHO_RSP || rsp.getUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO) != messageId) {
            throw new AssertionError("not the C-ECHO-RSP to message " + messageId + ": " + rsp);
        }
        return rsp.getUS(CommandSet.STATUS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
