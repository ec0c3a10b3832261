package org.cxr.ingest.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.CxrEvent;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.service.Unavailable;
import org.cxr.platform.messaging.KafkaEvents;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
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
    IngestConfig config;

    public void announce(InstanceReceived event) {
        send(instances, event);
    }

    public void announce(ReportReceived event) {
        send(reports, event);
    }

    private void send(Emitter<String> emitter, CxrEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> msg = KafkaEvents.message(event, SOURCE)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        Duration timeout = config.announceTimeout();
        try {
            emitter.send(msg);
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Unavailable("broker did not acknowledge " + event.eventType() + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new Unavailable("broker refused " + event.eventType() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while announcing " + event.eventType(), e);
        } catch (RuntimeException e) {
            // emitter closed/overflowing after repeated broker failures
            throw new Unavailable("cannot announce " + event.eventType() + ": " + e.getMessage(), e);
        }
    }
}
