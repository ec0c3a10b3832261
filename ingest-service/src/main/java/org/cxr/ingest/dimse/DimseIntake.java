package org.cxr.ingest.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cxr.dicom.TransferSyntax;
import org.cxr.dimse.AllowedPeer;
import org.cxr.dimse.DimseServer;
import org.cxr.dimse.DimseStatus;
import org.cxr.dimse.Pdu;
import org.cxr.dimse.ScpConfig;
import org.cxr.dimse.ScpListener;
import org.cxr.dimse.StoreRequest;
import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;
import org.cxr.ingest.service.IntakeService;
import org.cxr.ingest.service.Unavailable;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The DICOM storage SCP of ingest ({@code cxr-dimse}), on when {@code cxr.ingest.dimse.port} is
 * set. Every received instance goes through the same intake as an upload (ids,
 * de-identification, dedupe, storage, announcement) and its outcome becomes the C-STORE status:
 * <table>
 * <tr><td>ACCEPTED, DUPLICATE</td><td>0x0000</td></tr>
 * <tr><td>CONFLICT (same SOP Instance UID, other bytes; original kept)</td><td>0x0111 duplicate SOP instance</td></tr>
 * <tr><td>store, broker or database down</td><td>0xA700 out of resources (send again later)</td></tr>
 * <tr><td>TOO_LARGE</td><td>0xA701</td></tr>
 * <tr><td>BURNED_IN_RISK</td><td>0x0124 not authorized (a policy refusal)</td></tr>
 * <tr><td>NOT_DICOM, MALFORMED_DICOM, MISSING_UID, ID_CLASH, other</td><td>0xC000 cannot understand, with the reason</td></tr>
 * </table>
 * A data set cut off by an abort never reaches the intake (cxr-dimse drops it), so nothing is half recorded.
 */
@ApplicationScoped
public class DimseIntake {
    private static final Logger LOG = Logger.getLogger(DimseIntake.class);

    @Inject
    DimseConfig config;
    @Inject
    IngestConfig ingestConfig;
    @Inject
    IntakeService intake;
    @Inject
    MeterRegistry metrics;

    private volatile DimseServer server;

    void start(@Observes StartupEvent e) {
        if (config.port().isEmpty()) {
            LOG.info("DICOM storage SCP off (cxr.ingest.dimse.port not set)");
            return;
        }
        List<AllowedPeer> peers = config.allowedPeers().orElse(List.of()).stream().map(AllowedPeer::parse).toList();
        ScpConfig scp = ScpConfig.builder(config.aeTitle())
                .bind(config.bindAddress().orElse(null), config.port().getAsInt())
                .allowedPeers(peers)
                .storageSopClasses(config.sopClasses())
                .transferSyntaxes(TransferSyntax.convertible())
                .maxPduLength(config.maxPduLength())
                .artimTimeout(config.artimTimeout())
                .idleTimeout(config.idleTimeout())
                .maxAssociations(config.maxAssociations())
                .maxObjectBytes(ingestConfig.maxObjectBytes())
                .workDir(config.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "cxr-dimse")))
                .build();
        try {
            server = DimseServer.start(scp, this::store, new Metrics());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot listen for DICOM on port " + config.port().getAsInt(), ex);
        }
        LOG.infof("DICOM storage SCP %s on port %d (%d allowed calling AE entries)", config.aeTitle(), server.port(), peers.size());
        if (peers.isEmpty()) {
            LOG.warn("cxr.ingest.dimse.allowed-peers is empty: every association is rejected");
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (server != null) {
            server.close();
        }
    }

    /** The port listened on (the actual one when configured as 0); empty when off. */
    public OptionalInt port() {
        DimseServer s = server;
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.port());
    }

    DimseStatus store(StoreRequest request) throws IOException {
        byte[] bytes = Files.readAllBytes(request.file());
        InstanceResult r;
        try {
            r = intake.receiveInstance(bytes, Source.DIMSE, null);
        } catch (Unavailable | DatabaseUnavailable e) {
            LOG.warnf("C-STORE from %s refused, a dependency is down: %s", request.callingAe(), e.getMessage());
            return DimseStatus.outOfResources("temporarily unavailable, send again later");
        }
        return switch (r.status()) {
            case ACCEPTED, DUPLICATE -> DimseStatus.SUCCESS;
            case CONFLICT -> DimseStatus.duplicateSopInstance("SOP Instance UID stored before with other content");
            default -> {
                String reason = r.reason() == null ? "REJECTED" : r.reason().name();
                String comment = reason + (r.message() == null ? "" : ": " + r.message());
                yield switch (reason) {
                    case "TOO_LARGE" -> DimseStatus.tooLarge(comment);
                    case "BURNED_IN_RISK" -> new DimseStatus(0x0124, comment);
                    default -> DimseStatus.cannotUnderstand(comment);
                };
            }
        };
    }

    /** Association outcomes as {@code cxr_ingest_dimse_associations_total{outcome,reason}}. */
    private final class Metrics implements ScpListener {
        @Override
        public void associationAccepted(String callingAe, InetAddress remote, int acceptedContexts, int proposedContexts) {
            count("accepted", acceptedContexts == 0 ? "no_context_accepted" : "none");
        }

        @Override
        public void associationRejected(String callingAe, InetAddress remote, Pdu.AssociateRj reject, String why) {
            count("rejected", "source" + reject.source() + "_reason" + reject.reason());
        }

        @Override
        public void associationAborted(String callingAe, InetAddress remote, boolean byPeer, String why) {
            count("aborted", byPeer ? "by_peer" : "by_us");
            LOG.infof("DICOM association with %s aborted %s: %s", callingAe, byPeer ? "by the peer" : "by us", why);
        }

        @Override
        public void associationReleased(String callingAe, InetAddress remote, int messages) {
            count("released", "none");
        }

        @Override
        public void connectionClosed(InetAddress remote, String why) {
            count("closed", why.startsWith("ARTIM") ? "artim" : why.startsWith("A-ABORT") ? "protocol_error" : "other");
            LOG.infof("DICOM connection from %s closed: %s", remote.getHostAddress(), why);
        }

        private void count(String outcome, String reason) {
            metrics.counter("cxr.ingest.dimse.associations", "outcome", outcome, "reason", reason).increment();
        }
    }
}
