package org.cxr.catalog.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.EventHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Reads every topic the catalog indexes (instance-received, report-received, instance-converted,
 * report-labelled, convert and label dead letters) through one channel, a poll batch at a time,
 * and hands each batch to the {@link CatalogIndexer}. Offsets are committed after the batch is
 * indexed (at-least-once; indexing is idempotent). Up to
 * {@code smallrye.messaging.worker.catalog-indexer.max-concurrency} batches are indexed at once:
 * facts are order-independent and the derivation of a study is serialised by the catalog write
 * lock, so batches need not wait for each other. Each record is indexed in a span of its own trace
 * ({@link RecordSpans}).
 */
@ApplicationScoped
public class CatalogEventsConsumer {
    @Inject
    CatalogIndexer indexer;
    @Inject
    Tracer tracer;

    @Incoming("catalog-events")
    @Blocking(value = "catalog-indexer", ordered = false)
    public void consume(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> each = new ArrayList<>(records.count());
        records.forEach(each::add);
        List<RawEvent> raw = toRawEvents(each);
        try (RecordSpans spans = new RecordSpans(tracer, each, raw)) {
            indexer.index(raw, spans);
        }
    }

    public static List<RawEvent> toRawEvents(Iterable<ConsumerRecord<String, String>> records) {
        List<RawEvent> raw = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            Header id = r.headers().lastHeader(EventHeaders.ID);
            raw.add(new RawEvent(r.topic(), r.key(), r.value(),
                    id == null ? null : new String(id.value(), StandardCharsets.UTF_8), r.partition(), r.offset()));
        }
        return raw;
    }
}
