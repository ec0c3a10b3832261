package org.cxr.ingest.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.CxrEvent;
import org.cxr.events.ImportProgress;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.service.Unavailable;
import org.cxr.platform.messaging.BrokerUnavailableException;
import org.cxr.platform.messaging.KafkaEvents;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Announces stored objects and waits for the broker's acknowledgement: the caller commits its
 * record only after that, so nothing is recorded as announced that the broker did not take.
 */
@ApplicationScoped
public class EventPublisher {
    static final String SOURCE = "/cxr/ingest-service";

    @Inject
    @Channel("instance-received")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    Emitter<String> instances;

    @Inject
    @Channel("report-received")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 512)
    Emitter<String> reports;

    @Inject
    @Channel("import-progress")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
    Emitter<String> importProgress;

    @Inject
    IngestConfig config;

    public void announce(InstanceReceived event) {
        send(instances, event);
    }

    public void announce(ReportReceived event) {
        send(reports, event);
    }

    /** Keyed by the import, not a study (the event carries no study). */
    public void announce(ImportProgress event) {
        send(importProgress, event, KafkaEvents.message(event, SOURCE, event.importId(), event.updatedAt()));
    }

    private void send(Emitter<String> emitter, CxrEvent event) {
        send(emitter, event, KafkaEvents.message(event, SOURCE));
    }

    private void send(Emitter<String> emitter, CxrEvent event, org.eclipse.microprofile.reactive.messaging.Message<String> message) {
        try {
            KafkaEvents.sendAndAwait(emitter, message, config.announceTimeout());
        } catch (BrokerUnavailableException e) {
            throw new Unavailable("broker: " + event.eventType() + ": " + e.getMessage(), e);
        }
    }
}
