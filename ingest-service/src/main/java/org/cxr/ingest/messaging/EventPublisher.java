package org.cxr.ingest.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

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
        try (Scope trace = studyTrace(event.studyId())) {
            send(emitter, event, KafkaEvents.message(event, SOURCE));
        }
    }

    /**
     * The trace of the announcement: the caller's (an upload's HTTP request, with the uploader's
     * traceparent if it sent one); else (DIMSE, HL7, drop folder, an import's workers) a trace whose
     * ids are derived from the research study id, so that every announcement of a study joins the
     * same trace whichever association or message brought it. The study id is a pseudonym: the
     * trace id reveals nothing about the patient.
     */
    static Scope studyTrace(String studyId) {
        if (studyId == null || Span.current().getSpanContext().isValid()) {
            return Scope.noop();
        }
        String h;
        try {
            h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("cxr-study-trace:" + studyId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        SpanContext study = SpanContext.createFromRemoteParent(h.substring(0, 32), h.substring(32, 48),
                TraceFlags.getSampled(), TraceState.getDefault());
        return Context.current().with(Span.wrap(study)).makeCurrent();
    }

    private void send(Emitter<String> emitter, CxrEvent event, org.eclipse.microprofile.reactive.messaging.Message<String> message) {
        try {
            KafkaEvents.sendAndAwait(emitter, message, config.announceTimeout());
        } catch (BrokerUnavailableException e) {
            throw new Unavailable("broker: " + event.eventType() + ": " + e.getMessage(), e);
        }
    }
}
