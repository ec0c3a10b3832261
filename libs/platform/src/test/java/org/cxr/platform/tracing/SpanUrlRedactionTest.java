package org.cxr.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** The hospital's identifiers in a request URL never reach an exported span. */
class SpanUrlRedactionTest {
    @Test
    void serverSpansKeepNeitherUidsInThePathNorTheQuery() {
        InMemorySpanExporter kept = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(new SpanUrlRedaction())
                .addSpanProcessor(SimpleSpanProcessor.create(kept)).build()) {
            var tracer = tracing.get("test");
            tracer.spanBuilder("PUT /studies/{studyInstanceUid}/report").setSpanKind(SpanKind.SERVER)
                    .setAttribute(SpanUrlRedaction.URL_PATH, "/studies/1.2.840.99.12345/report")
                    .setAttribute(SpanUrlRedaction.URL_QUERY, "subject=McCormack, Anastasia 53049853")
                    .setAttribute("http.route", "/studies/{studyInstanceUid}/report").startSpan().end();
            tracer.spanBuilder("send").setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(SpanUrlRedaction.URL_PATH, "/left/1").startSpan().end();
            spans = List.copyOf(kept.getFinishedSpanItems()); // the provider's shutdown clears the exporter
        }
        SpanData server = spans.get(0);
        assertThat(server.getAttributes().get(SpanUrlRedaction.URL_PATH)).isEqualTo("/studies/{id}/report");
        assertThat(server.getAttributes().get(SpanUrlRedaction.URL_QUERY)).isEmpty();
        assertThat(server.getAttributes().toString()).doesNotContain("12345").doesNotContain("53049853").doesNotContain("McCormack");
        assertThat(spans.get(1).getAttributes().get(SpanUrlRedaction.URL_PATH)).isEqualTo("/left/1");
        assertThat(SpanUrlRedaction.redactPath("/dicomweb/studies/2.25.7")).isEqualTo("/dicomweb/studies/{id}");
        assertThat(SpanUrlRedaction.redactPath("/subjects/53049853/split")).isEqualTo("/subjects/{id}/split");
        assertThat(SpanUrlRedaction.redactPath("/studies/instances")).isEqualTo("/studies/instances");
    }
}
