package org.cxr.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.dicom.UID;
import org.cxr.dimse.Pdu.PresentationContextRq;

/**
 * A storage SCU: one association over which Part 10 files are sent by C-STORE, each in its own
 * transfer syntax (one presentation context per SOP class and syntax is proposed), the data set
 * streamed from the file in PDUs within the peer's maximum. For feeds and benchmarks that should
 * not depend on dcmtk (the demo's {@code --via dimse}); the peer is anything that accepts
 * (our SCP, storescp, a PACS).
 */
public final class StoreScu implements AutoCloseable {
    private static final int OUR_MAX_PDU = 256 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, Integer> contexts = new HashMap<>();
    private final long peerMaxLength;
    private int messageId;

    private StoreScu(Socket socket, Map<String, Integer> contexts, long peerMaxLength) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.contexts.putAll(contexts);
        this.peerMaxLength = peerMaxLength;
    }

    /**
     * Associates, proposing every pair of {@code sopClasses} × {@code transferSyntaxes} (at most 128).
     *
     * @throws IOException when the peer rejects the association (the message says why) or the network fails
     */
    public static StoreScu open(String host, int port, String callingAe, String calledAe, Collection<String> sopClasses,
                                Collection<String> transferSyntaxes, Duration timeout) throws IOException {
        List<PresentationContextRq> proposed = new ArrayList<>();
        Map<Integer, String> keys = new HashMap<>();
        int id = 1;
        for (String sopClass : sopClasses) {
            for (String ts : transferSyntaxes) {
                if (id > 255) {
                    throw new IllegalArgumentException("more than 128 presentation contexts");
                }
                proposed.add(new PresentationContextRq(id, sopClass, List.of(ts)));
                keys.put(id, sopClass + "|" + ts);
                id += 2;
            }
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            OutputStream o = s.getOutputStream();
            o.write(PduCodec.encode(new Pdu.AssociateRq(1, calledAe, callingAe, Pdu.APPLICATION_CONTEXT, proposed,
                    new Pdu.UserInfo(OUR_MAX_PDU, UID.IMPLEMENTATION_CLASS_UID, UID.IMPLEMENTATION_VERSION_NAME, -1, -1, List.of()))));
            o.flush();
            Pdu answer = PduCodec.read(s.getInputStream(), OUR_MAX_PDU, Association.MAX_CONTROL_PDU);
            if (answer instanceof Pdu.AssociateRj rj) {
                throw new IOException("association rejected: result " + rj.result() + ", source " + rj.source() + ", reason "
                        + rj.reason());
            }
            if (!(answer instanceof Pdu.AssociateAc ac)) {
                throw new IOException("expected A-ASSOCIATE-AC, got " + (answer == null ? "end of stream" : "PDU type " + answer.type()));
            }
            Map<String, Integer> accepted = new HashMap<>();
            for (Pdu.PresentationContextAc pc : ac.contexts()) {
                if (pc.accepted() && keys.containsKey(pc.id())) {
                    accepted.put(keys.get(pc.id()), pc.id());
                }
            }
            return new StoreScu(s, accepted, ac.userInfo().maxLength());
        } catch (PduException e) {
            s.close();
            throw new IOException("invalid answer to A-ASSOCIATE-RQ: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Whether a SOP class in a transfer syntax was accepted. */
    public boolean accepts(String sopClass, String transferSyntax) {
        return contexts.containsKey(sopClass + "|" + transferSyntax);
    }

    /**
     * Sends one Part 10 file (or a raw data set) in its own transfer syntax; returns the peer's status.
     *
     * @throws IOException when no context fits the file, the file is unreadable, or the association fails
     */
    public DimseStatus store(Path file) throws IOException {
        DicomFile header;
        try {
            header = DicomReader.read(file);
        } catch (DicomException e) {
            throw new IOException("not a DICOM file: " + file + " (" + e.reason() + ")", e);
        }
        String sopClass = header.dataset().getString(Tag.SOPClassUID);
        String sopInstance = header.dataset().getString(Tag.SOPInstanceUID);
        String ts = header.transferSyntax().uid();
        Integer ctx = sopClass == null ? null : contexts.get(sopClass + "|" + ts);
        if (ctx == null || sopInstance == null) {
            throw new IOException("no accepted presentation context for " + file.getFileName() + " (" + sopClass + " in " + ts + ")");
        }
        long start = datasetOffset(header);
        int id = ++messageId & 0xFFFF;
        CommandSet rq = new CommandSet().putUID(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass)
                .putUS(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RQ).putUS(CommandSet.MESSAGE_ID, id)
                .putUS(CommandSet.PRIORITY, 0).putUS(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .putUID(CommandSet.AFFECTED_SOP_INSTANCE_UID, sopInstance);
        PduCodec.writePData(out, ctx, true, rq.encode(), peerMaxLength);
        sendDataSet(file, start, ctx);
        CommandSet rsp = response();
        if (rsp.getUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO) != id) {
            throw new IOException("response to message " + rsp.getUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO) + ", expected " + id);
        }
        return new DimseStatus(rsp.getUS(CommandSet.STATUS), rsp.getString(CommandSet.ERROR_COMMENT));
    }

    /** The data set starts after the preamble and file meta group, when the file has them. */
    private static long datasetOffset(DicomFile f) {
        if (!f.hasFileMeta()) {
            return f.preamble() == null ? 0 : 132;
        }
        return (f.preamble() == null ? 0 : 132) + 12 + f.fileMeta().getInt(Tag.FileMetaInformationGroupLength).orElse(0);
    }

    /**
     * Fragments of even length (peers such as dcmtk refuse odd ones); a data set of odd length (a
     * deflated stream written unpadded) gets the trailing NUL PS3.5 A.5 asks for.
     */
    private void sendDataSet(Path file, long start, int ctx) throws IOException {
        long onDisk = Files.size(file) - start;
        long size = onDisk + (onDisk & 1);
        int fragment = (peerMaxLength <= 0 ? 1 << 20 : (int) Math.min(1 << 20, peerMaxLength - PduCodec.PDV_OVERHEAD)) & ~1;
        byte[] buf = new byte[fragment];
        DataOutputStream d = new DataOutputStream(out);
        try (InputStream f = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            f.skipNBytes(start);
            long sent = 0;
            do {
                int n = (int) Math.min(fragment, size - sent);
                int read = f.readNBytes(buf, 0, n);
                if (read == n - 1 && sent + n == size && size != onDisk) {
                    buf[read] = 0;
                } else if (read != n) {
                    throw new IOException(file + " changed while it was sent");
                }
                sent += n;
                d.writeByte(Pdu.P_DATA_TF);
                d.writeByte(0);
                d.writeInt(n + PduCodec.PDV_OVERHEAD);
                d.writeInt(n + 2);
                d.writeByte(ctx);
                d.writeByte(sent == size ? 2 : 0);
                d.write(buf, 0, n);
            } while (sent < size);
        }
        d.flush();
    }

    /** Reads the response command set (fragments reassembled). */
    private CommandSet response() throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        try {
            while (true) {
                Pdu p = PduCodec.read(in, OUR_MAX_PDU, Association.MAX_CONTROL_PDU);
                if (!(p instanceof Pdu.PData data)) {
                    throw new IOException("expected the C-STORE-RSP, got " + (p == null ? "end of stream"
                            : p instanceof Pdu.Abort a ? "A-ABORT (" + Pdu.AbortReason.describe(a.source(), a.reason()) + ")"
                            : "PDU type " + p.type()));
                }
                for (Pdu.Pdv v : data.pdvs()) {
                    if (v.command()) {
                        command.write(v.array(), v.offset(), v.length());
                        if (v.last()) {
                            return CommandSet.decode(command.toByteArray());
                        }
                    }
                }
            }
        } catch (PduException e) {
            throw new IOException("invalid response: " + e.getMessage(), e);
        }
    }

    /** Releases the association (A-RELEASE-RQ, waits for the RP) and closes the connection. */
    @Override
    public void close() throws IOException {
        try {
            out.write(PduCodec.encode(new Pdu.ReleaseRq()));
            out.flush();
            PduCodec.read(in, OUR_MAX_PDU, Association.MAX_CONTROL_PDU);
        } catch (PduException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
