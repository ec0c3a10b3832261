package org.cxr.catalog.messaging;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.service.CatalogIndexer;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * One span per record of a poll batch, in the record's own trace (its W3C {@code traceparent}; a
 * record without one starts a trace), so that a study's trace ends where the catalog indexed it
 * although records of many studies are indexed together. Each span lasts from the batch's start to
 * its commit and names the batch's size; the indexer enters a record's span around what it does
 * and logs about that record alone ({@link CatalogIndexer.RecordTrace}), so those log lines carry
 * its traceId.
 */
final class RecordSpans implements CatalogIndexer.RecordTrace, AutoCloseable {
    static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<ConsumerRecord<?, ?>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<?, ?> record) {
            return () -> java.util.Arrays.stream(record.headers().toArray()).map(Header::key).iterator();
        }

        @Override
        public String get(ConsumerRecord<?, ?> record, String key) {
            Header h = record == null ? null : record.headers().lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private final Map<RawEvent, Context> contexts = new IdentityHashMap<>();

    /** Starts the spans of {@code records}, whose events in the same order are {@code raw}. */
    RecordSpans(Tracer tracer, List<ConsumerRecord<String, String>> records, List<RawEvent> raw) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> r = records.get(i);
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), r, HEADERS);
            Span span = tracer.spanBuilder(r.topic() + " index").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.destination.name", r.topic())
                    .setAttribute("messaging.destination.partition.id", String.valueOf(r.partition()))
                    .setAttribute("messaging.kafka.offset", r.offset())
                    .setAttribute("messaging.batch.message_count", records.size())
                    .startSpan();
            contexts.put(raw.get(i), parent.with(span));
        }
    }

    @Override
    public Scope enter(RawEvent record) {
        Context c = contexts.get(record);
        return c == null ? Scope.noop() : c.makeCurrent();
    }

    @Override
    public String traceparent(RawEvent record) {
        Context c = contexts.get(record);
        if (c == null) {
            return null;
        }
        String[] value = new String[1];
        TextMapSetter<String[]> setter = (carrier, key, v) -> {
            if (TRACEPARENT.equals(key)) {
                carrier[0] = v;
            }
        };
        W3CTraceContextPropagator.getInstance().inject(c, value, setter);
        return value[0];
    }

    /** Ends every span (the batch is indexed, or given up). */
    @Override
    public void close() {
        contexts.values().forEach(c -> Span.fromContext(c).end());
    }
}
