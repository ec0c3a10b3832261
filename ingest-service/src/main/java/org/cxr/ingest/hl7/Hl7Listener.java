package org.cxr.ingest.hl7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.util.List;
import java.util.OptionalInt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cxr.events.Source;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Runs the MLLP listener of the RIS feed when {@code cxr.ingest.hl7.port} is set. */
@ApplicationScoped
public class Hl7Listener {
    private static final Logger LOG = Logger.getLogger(Hl7Listener.class);

    @Inject
    Hl7Config config;
    @Inject
    AccessionReports reports;
    @Inject
    MeterRegistry metrics;

    private volatile MllpServer server;

    void start(@Observes StartupEvent e) {
        if (config.port().isEmpty()) {
            LOG.info("HL7 MLLP listener off (cxr.ingest.hl7.port not set)");
            return;
        }
        List<AllowedSender> senders = config.allowedSenders().orElse(List.of()).stream().map(AllowedSender::parse).toList();
        Hl7Messages messages = new Hl7Messages(new Hl7Messages.Settings(Hl7Messages.accessionField(config.accessionField()),
                config.processingIds(), Charset.forName(config.defaultCharset()), senders));
        try {
            server = MllpServer.start(config.bindAddress().orElse(null), config.port().getAsInt(),
                    new MllpServer.Limits(config.maxMessageBytes(), config.maxConnections(), config.idleTimeout(), config.messageTimeout()),
                    new MllpServer.Handler() {
                        @Override
                        public byte[] handle(byte[] message, InetAddress remote) {
                            Hl7Messages.Ack ack = messages.handle(message, remote, r -> reports.receive(r, Source.HL7));
                            metrics.counter("cxr.ingest.hl7.messages", "ack", ack.code().name()).increment();
                            return ack.bytes();
                        }

                        @Override
                        public byte[] tooLarge(int limit, InetAddress remote) {
                            metrics.counter("cxr.ingest.hl7.messages", "ack", "AR").increment();
                            return messages.tooLarge(limit).bytes();
                        }
                    });
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot listen for HL7 on port " + config.port().getAsInt(), ex);
        }
        LOG.infof("HL7 MLLP listener on port %d (%d allowed senders, accession number in %s)", server.port(), senders.size(),
                config.accessionField());
        if (senders.isEmpty()) {
            LOG.warn("cxr.ingest.hl7.allowed-senders is empty: every HL7 message is refused");
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (server != null) {
            server.close();
        }
    }

    /** The port listened on (the actual one when configured as 0); empty when off. */
    public OptionalInt port() {
        MllpServer s = server;
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.port());
    }
}
