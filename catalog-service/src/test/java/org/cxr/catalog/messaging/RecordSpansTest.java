package org.cxr.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.events.Topics;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** Each record of a batch is indexed in its own trace, a child of the span that sent it. */
class RecordSpansTest {
    static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
    static final String SENDER_A = "b7ad6b7169203331";
    static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SENDER_B = "00f067aa0ba902b7";

    static ConsumerRecord<String, String> record(long offset, String traceparent) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(Topics.INSTANCE_CONVERTED, 0, offset, "5000000" + offset,
                "{}");
        if (traceparent != null) {
            r.headers().add(RecordSpans.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    @Test
    void eachRecordHasASpanInItsOwnTrace() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        List<ConsumerRecord<String, String>> records = List.of(record(1, "00-" + TRACE_A + "-" + SENDER_A + "-01"),
                record(2, "00-" + TRACE_B + "-" + SENDER_B + "-01"), record(3, null));
        List<RawEvent> raw = CatalogEventsConsumer.toRawEvents(records);
        List<SpanData> done;
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()) {
            try (RecordSpans spans = new RecordSpans(tracing.get("test"), records, raw)) {
                try (Scope s = spans.enter(raw.get(1))) {
                    assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(TRACE_B);
                }
                assertThat(Span.current().getSpanContext().isValid()).isFalse();
                assertThat(exported.getFinishedSpanItems()).isEmpty(); // open until the batch is done
            }
            done = List.copyOf(exported.getFinishedSpanItems()); // the provider's shutdown clears the exporter
        }
        assertThat(done).hasSize(3).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(s.getName()).isEqualTo(Topics.INSTANCE_CONVERTED + " index");
        });
        // a child of the sender's span, in its trace; no traceparent: a trace of its own
        assertThat(done).filteredOn(s -> s.getTraceId().equals(TRACE_A)).singleElement()
                .satisfies(s -> assertThat(s.getParentSpanId()).isEqualTo(SENDER_A));
        assertThat(done).filteredOn(s -> s.getTraceId().equals(TRACE_B)).singleElement()
                .satisfies(s -> assertThat(s.getParentSpanId()).isEqualTo(SENDER_B));
        SpanData own = done.stream().filter(s -> !s.getTraceId().equals(TRACE_A) && !s.getTraceId().equals(TRACE_B))
                .findFirst().orElseThrow();
        assertThat(own.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("messaging.kafka.offset")))
                .isEqualTo(3L);
        assertThat(own.getParentSpanContext().isValid()).isFalse();
    }
}
