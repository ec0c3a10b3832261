package org.cxr.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.dicom.UID;
import org.cxr.dimse.Pdu.Abort;
import org.cxr.dimse.Pdu.AbortReason;
import org.cxr.dimse.Pdu.AssociateAc;
import org.cxr.dimse.Pdu.AssociateRj;
import org.cxr.dimse.Pdu.AssociateRq;
import org.cxr.dimse.Pdu.PData;
import org.cxr.dimse.Pdu.Pdv;
import org.cxr.dimse.Pdu.PresentationContextAc;
import org.cxr.dimse.Pdu.PresentationContextRq;
import org.cxr.dimse.Pdu.Reject;
import org.cxr.dimse.Pdu.ReleaseRq;
import org.cxr.dimse.Pdu.RoleSelection;
import org.cxr.dimse.Pdu.UserInfo;

import static org.cxr.dimse.Pdu.AbortReason.INVALID_PDU_PARAMETER_VALUE;
import static org.cxr.dimse.Pdu.AbortReason.UNEXPECTED_PDU;
import static org.cxr.dimse.Pdu.AbortReason.UNEXPECTED_PDU_PARAMETER;

/**
 * One connection on the acceptor side, from transport connect to close (PS3.8 §9.2 state
 * machine, acceptor states): Sta2 wait for A-ASSOCIATE-RQ under the ARTIM timer → accept or
 * reject → Sta6 data transfer under the idle timer → release or abort → Sta13 wait for the peer
 * to close, again under ARTIM. Runs on one thread of the server's bounded pool.
 * <p>Protocol errors are answered with an A-ABORT whose source is the service provider and whose
 * reason says what was wrong (in Sta2 too, where the state table's AA-1 would send a reason-less
 * user abort: a peer that sends HTTP to the port learns "unrecognized PDU").
 */
final class Association {
    private static final System.Logger LOG = System.getLogger(Association.class.getName());
    /** Upper bound for any PDU other than P-DATA-TF (an A-ASSOCIATE-RQ with 128 contexts is ~30 KB). */
    static final int MAX_CONTROL_PDU = 1 << 20;

    private final DimseServer server;
    private final ScpConfig config;
    private final Socket socket;
    private final InetAddress remote;
    private InputStream in;
    private OutputStream out;
    private volatile boolean artimExpired;

    private String callingAe = "?";
    private String source;
    private boolean permit;
    private long peerMaxLength;
    private int messages;
    private final Map<Integer, PresentationContextAc> accepted = new HashMap<>();
    private final Map<Integer, String> abstractSyntaxes = new HashMap<>();

    // the message being received
    private int messageContext = -1;
    private ByteArrayOutputStream commandBytes;
    private CommandSet pending;
    private DataSetFile dataSet;
    private long messageStart;

    Association(DimseServer server, Socket socket) {
        this.server = server;
        this.config = server.config();
        this.socket = socket;
        this.remote = socket.getInetAddress();
    }

    void run() {
        ScheduledFuture<?> artim = server.timers().schedule(this::expireArtim, config.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) config.artimTimeout().toMillis());
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            boolean established = negotiate();
            artim.cancel(false);
            if (established) {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
                transfer();
            }
        } catch (IOException e) {
            if (artimExpired) {
                server.listener().connectionClosed(remote, "ARTIM expired: no A-ASSOCIATE-RQ within " + config.artimTimeout());
            } else if (permit) {
                server.listener().associationAborted(callingAe, remote, true, "connection lost: " + e.getMessage());
            } else {
                server.listener().connectionClosed(remote, "connection lost before association: " + e.getMessage());
            }
        } finally {
            artim.cancel(false);
            endMessage();
            if (permit) {
                server.associations().release();
            }
        }
    }

    private void expireArtim() {
        artimExpired = true;
        TcpListener.closeQuietly(socket);
    }

    // ---- Sta2: association establishment --------------------------------------------------

    /** True when the association is established. */
    private boolean negotiate() throws IOException {
        Pdu pdu;
        try {
            pdu = PduCodec.read(in, config.maxPduLength(), MAX_CONTROL_PDU);
        } catch (PduException e) {
            abort(e.reason(), e.getMessage(), false);
            return false;
        } catch (SocketTimeoutException e) {
            server.listener().connectionClosed(remote, "ARTIM expired: no A-ASSOCIATE-RQ within " + config.artimTimeout());
            return false;
        }
        if (pdu == null) {
            server.listener().connectionClosed(remote, "closed before sending an A-ASSOCIATE-RQ");
            return false;
        }
        if (!(pdu instanceof AssociateRq rq)) {
            abort(UNEXPECTED_PDU, "expected A-ASSOCIATE-RQ, got PDU type " + pdu.type(), false);
            return false;
        }
        callingAe = ScpConfig.isValidAeTitle(rq.callingAe()) ? rq.callingAe() : "?";
        if ((rq.protocolVersion() & 1) == 0) {
            return reject(Reject.PERMANENT, Reject.SOURCE_ACSE, Reject.PROTOCOL_VERSION_NOT_SUPPORTED,
                    "protocol version " + rq.protocolVersion());
        }
        if (!Pdu.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return reject(Reject.PERMANENT, Reject.SOURCE_USER, Reject.APPLICATION_CONTEXT_NOT_SUPPORTED,
                    "application context " + rq.applicationContext());
        }
        if (!config.aeTitle().equals(rq.calledAe())) {
            return reject(Reject.PERMANENT, Reject.SOURCE_USER, Reject.CALLED_AE_NOT_RECOGNIZED,
                    "called AE title is not " + config.aeTitle());
        }
        AllowedPeer peer = config.allowedPeers().stream().filter(p -> p.admits(rq.callingAe(), remote)).findFirst().orElse(null);
        if (peer == null) {
            return reject(Reject.PERMANENT, Reject.SOURCE_USER, Reject.CALLING_AE_NOT_RECOGNIZED,
                    "calling AE title not allowed from " + remote.getHostAddress());
        }
        source = peer.source();
        if (!server.associations().tryAcquire()) {
            return reject(Reject.TRANSIENT, Reject.SOURCE_PRESENTATION, Reject.LOCAL_LIMIT_EXCEEDED,
                    config.maxAssociations() + " associations already open");
        }
        permit = true;
        peerMaxLength = rq.userInfo().maxLength();
        AssociateAc ac = accept(rq);
        send(ac);
        server.listener().associationAccepted(callingAe, remote, accepted.size(), rq.contexts().size());
        LOG.log(System.Logger.Level.DEBUG, () -> "association from " + callingAe + "@" + remote.getHostAddress()
                + ": " + accepted.size() + " of " + rq.contexts().size() + " presentation contexts accepted");
        return true;
    }

    private AssociateAc accept(AssociateRq rq) {
        List<PresentationContextAc> answers = new ArrayList<>();
        for (PresentationContextRq pc : rq.contexts()) {
            boolean verification = ScpConfig.VERIFICATION.equals(pc.abstractSyntax());
            PresentationContextAc answer;
            if (!verification && !config.storageSopClasses().contains(pc.abstractSyntax())) {
                answer = new PresentationContextAc(pc.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        pc.transferSyntaxes().get(0));
            } else {
                // the peer's order: it lists the syntax its file is in first, so nothing is transcoded
                String ts = pc.transferSyntaxes().stream()
                        .filter(verification ? ScpConfig.VERIFICATION_SYNTAXES::contains : config.transferSyntaxes()::contains)
                        .findFirst().orElse(null);
                answer = ts == null
                        ? new PresentationContextAc(pc.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, pc.transferSyntaxes().get(0))
                        : new PresentationContextAc(pc.id(), PresentationContextAc.ACCEPTANCE, ts);
            }
            answers.add(answer);
            if (answer.accepted()) {
                accepted.put(pc.id(), answer);
                abstractSyntaxes.put(pc.id(), pc.abstractSyntax());
            }
        }
        // role selection: peers may only be SCUs here
        List<RoleSelection> roles = rq.userInfo().roles().stream()
                .filter(r -> abstractSyntaxes.containsValue(r.sopClassUid()))
                .map(r -> new RoleSelection(r.sopClassUid(), r.scuRole(), 0)).toList();
        UserInfo ours = new UserInfo(config.maxPduLength(), UID.IMPLEMENTATION_CLASS_UID, UID.IMPLEMENTATION_VERSION_NAME,
                -1, -1, roles);
        return new AssociateAc(1, rq.calledAe(), rq.callingAe(), Pdu.APPLICATION_CONTEXT, answers, ours);
    }

    private boolean reject(int result, int src, int reason, String why) throws IOException {
        AssociateRj rj = new AssociateRj(result, src, reason);
        send(rj);
        server.listener().associationRejected(callingAe, remote, rj, why);
        LOG.log(System.Logger.Level.INFO, () -> "association from " + callingAe + "@" + remote.getHostAddress()
                + " rejected (result " + result + ", source " + src + ", reason " + reason + "): " + why);
        awaitClose();
        return false;
    }

    // ---- Sta6: data transfer -------------------------------------------------------------

    private void transfer() throws IOException {
        while (true) {
            Pdu pdu;
            try {
                pdu = PduCodec.read(in, config.maxPduLength(), MAX_CONTROL_PDU);
            } catch (PduException e) {
                abort(e.reason(), e.getMessage(), true);
                return;
            } catch (SocketTimeoutException e) {
                endMessage();
                send(new Abort(AbortReason.SOURCE_USER, AbortReason.NOT_SPECIFIED));
                server.listener().associationAborted(callingAe, remote, false, "idle for " + config.idleTimeout());
                awaitClose();
                return;
            } catch (EOFException e) {
                server.listener().associationAborted(callingAe, remote, true, "connection closed inside a PDU");
                return;
            }
            if (pdu == null) {
                server.listener().associationAborted(callingAe, remote, true, "connection closed without release");
                return;
            }
            if (pdu instanceof PData data) {
                try {
                    for (Pdv pdv : data.pdvs()) {
                        pdv(pdv);
                    }
                } catch (PduException e) {
                    abort(e.reason(), e.getMessage(), true);
                    return;
                }
            } else if (pdu instanceof ReleaseRq) {
                endMessage(); // a message cut off by the release is dropped, never handed on
                send(new Pdu.ReleaseRp());
                server.listener().associationReleased(callingAe, remote, messages);
                awaitClose();
                return;
            } else if (pdu instanceof Abort a) {
                server.listener().associationAborted(callingAe, remote, true,
                        "A-ABORT from the peer: " + AbortReason.describe(a.source(), a.reason()));
                return;
            } else {
                abort(UNEXPECTED_PDU, "unexpected PDU type " + pdu.type() + " during data transfer", true);
                return;
            }
        }
    }

    private void pdv(Pdv pdv) throws PduException, IOException {
        PresentationContextAc pc = accepted.get(pdv.contextId());
        if (pc == null) {
            throw new PduException(INVALID_PDU_PARAMETER_VALUE, "PDV on presentation context " + pdv.contextId()
                    + ", which is not accepted");
        }
        if (messageContext >= 0 && pdv.contextId() != messageContext) {
            throw new PduException(UNEXPECTED_PDU_PARAMETER, "PDV on presentation context " + pdv.contextId()
                    + " inside a message on context " + messageContext);
        }
        if (pdv.command()) {
            if (pending != null) {
                throw new PduException(UNEXPECTED_PDU_PARAMETER, "command fragment where a data set fragment was expected");
            }
            if (commandBytes == null) {
                commandBytes = new ByteArrayOutputStream(512);
                messageContext = pdv.contextId();
                messageStart = System.nanoTime();
            }
            if (commandBytes.size() + pdv.length() > CommandSet.MAX_LENGTH) {
                throw new PduException(INVALID_PDU_PARAMETER_VALUE, "command set over " + CommandSet.MAX_LENGTH + " bytes");
            }
            commandBytes.write(pdv.array(), pdv.offset(), pdv.length());
            if (pdv.last()) {
                CommandSet command = CommandSet.decode(commandBytes.toByteArray());
                commandBytes = null;
                command(pc, command);
            }
        } else {
            if (pending == null) {
                throw new PduException(UNEXPECTED_PDU_PARAMETER, "data set fragment without a command announcing it");
            }
            dataSet.write(pdv.array(), pdv.offset(), pdv.length());
            if (pdv.last()) {
                dataSetComplete(pc);
            }
        }
    }

    private void command(PresentationContextAc pc, CommandSet c) throws IOException {
        int field = c.commandField();
        if (field == CommandSet.C_CANCEL_RQ || (field & 0x8000) != 0) {
            endMessage(); // nothing to cancel (operations are synchronous) and no requests of ours to answer
            return;
        }
        if (!c.hasDataSet()) {
            DimseStatus status = switch (field) {
                case CommandSet.C_ECHO_RQ -> ScpConfig.VERIFICATION.equals(abstractSyntaxes.get(pc.id()))
                        ? DimseStatus.SUCCESS : DimseStatus.sopClassNotSupported("C-ECHO on a storage context");
                case CommandSet.C_STORE_RQ -> DimseStatus.cannotUnderstand("C-STORE-RQ without a data set");
                default -> DimseStatus.unrecognizedOperation(String.format("command 0x%04X not supported", field));
            };
            respond(pc, c, status);
            return;
        }
        pending = c;
        String abstractSyntax = abstractSyntaxes.get(pc.id());
        if (field != CommandSet.C_STORE_RQ) {
            dataSet = DataSetFile.discarding(DimseStatus.unrecognizedOperation(String.format("command 0x%04X not supported", field)));
        } else if (!abstractSyntax.equals(c.affectedSopClassUid())) {
            dataSet = DataSetFile.discarding(DimseStatus.sopClassNotSupported("SOP class differs from the presentation context's"));
        } else if (c.affectedSopInstanceUid() == null || c.affectedSopInstanceUid().isEmpty()) {
            dataSet = DataSetFile.discarding(DimseStatus.cannotUnderstand("C-STORE-RQ without Affected SOP Instance UID"));
        } else {
            dataSet = DataSetFile.create(config.workDir(), abstractSyntax, c.affectedSopInstanceUid(), pc.transferSyntax(),
                    callingAe, config.maxObjectBytes());
        }
    }

    private void dataSetComplete(PresentationContextAc pc) throws IOException {
        DimseStatus status = dataSet.finish();
        if (status == null) {
            status = store(pc, pending, dataSet);
        }
        long bytes = dataSet.received();
        dataSet.close();
        dataSet = null;
        if (pending.commandField() == CommandSet.C_STORE_RQ) {
            server.listener().storeAnswered(callingAe, status, bytes, System.nanoTime() - messageStart);
        }
        respond(pc, pending, status);
    }

    /** Checks the data set against its command, then hands it to the store handler. */
    private DimseStatus store(PresentationContextAc pc, CommandSet c, DataSetFile file) {
        try {
            DicomFile header = DicomReader.read(file.path());
            String sopClass = header.dataset().getString(Tag.SOPClassUID);
            String sopInstance = header.dataset().getString(Tag.SOPInstanceUID);
            if (sopClass == null || !sopClass.equals(c.affectedSopClassUid())) {
                return DimseStatus.dataSetMismatch(sopClass == null ? "data set without SOP Class UID"
                        : "data set SOP Class UID differs from the command's");
            }
            if (!c.affectedSopInstanceUid().equals(sopInstance)) {
                return DimseStatus.dataSetMismatch("data set SOP Instance UID differs from the command's");
            }
        } catch (DicomException e) {
            return DimseStatus.cannotUnderstand("data set unreadable: " + e.reason());
        }
        try {
            StoreRequest request = new StoreRequest(callingAe, source, config.aeTitle(), remote, c.affectedSopClassUid(),
                    c.affectedSopInstanceUid(), pc.transferSyntax(), c.getUS(CommandSet.PRIORITY), file.path(),
                    java.nio.file.Files.size(file.path()));
            DimseStatus s = server.handler().store(request);
            return s == null ? DimseStatus.processingFailure("no status from the store handler") : s;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "store handler failed for a C-STORE from " + callingAe, e);
            return DimseStatus.processingFailure("internal error: " + e.getClass().getSimpleName());
        }
    }

    private void respond(PresentationContextAc pc, CommandSet request, DimseStatus status) throws IOException {
        PduCodec.writePData(out, pc.id(), true, request.response(status).encode(), peerMaxLength);
        out.flush();
        messages++;
        endMessage();
    }

    /** Forgets the message in progress; a partly received data set is deleted, never handed on. */
    private void endMessage() {
        if (dataSet != null) {
            dataSet.close();
            dataSet = null;
        }
        pending = null;
        commandBytes = null;
        messageContext = -1;
    }

    // ---- ending --------------------------------------------------------------------------

    private void abort(int reason, String why, boolean associated) throws IOException {
        endMessage();
        send(new Abort(AbortReason.SOURCE_PROVIDER, reason));
        String text = AbortReason.describe(AbortReason.SOURCE_PROVIDER, reason) + ": " + why;
        LOG.log(System.Logger.Level.INFO, () -> "A-ABORT to " + callingAe + "@" + remote.getHostAddress() + " (" + text + ")");
        if (associated) {
            server.listener().associationAborted(callingAe, remote, false, text);
        } else {
            server.listener().connectionClosed(remote, "A-ABORT before association (" + text + ")");
        }
        awaitClose();
    }

    private void send(Pdu pdu) throws IOException {
        out.write(PduCodec.encode(pdu));
        out.flush();
    }

    /** Sta13: the peer closes the connection; whatever it still sends is discarded, for at most ARTIM. */
    private void awaitClose() {
        long deadline = System.nanoTime() + config.artimTimeout().toNanos();
        byte[] sink = new byte[8192];
        try {
            socket.shutdownOutput();
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                if (in.read(sink) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // timed out or reset: the server closes the socket now
        }
    }
}
