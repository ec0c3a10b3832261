package org.cxr.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.internal.ExceptionAttributeResolver;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** A failed span keeps the exception's type and code frames; no message of it or its causes is recorded. */
class SpanErrorRedactionTest {
    static final String NAME = "McCormack, Anastasia";
    static final String MRN = "53049853";

    private static List<SpanData> record(boolean guarded, Throwable failure, String statusDescription) {
        InMemorySpanExporter kept = InMemorySpanExporter.create();
        // the SDK as quarkus-opentelemetry builds it: the autoconfigure module, its customizer beans applied
        AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(
                () -> Map.of("otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"));
        if (guarded) {
            new SpanErrorRedactionInstaller().customize(builder);
        }
        builder.addTracerProviderCustomizer((tracerProvider, config) -> (guarded
                ? tracerProvider.addSpanProcessor(new SpanErrorRedaction()) : tracerProvider)
                .addSpanProcessor(SimpleSpanProcessor.create(kept)));
        try (OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk()) {
            Span span = sdk.getTracer("test").spanBuilder("POST /imports").startSpan();
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, statusDescription);
            span.end();
            return List.copyOf(kept.getFinishedSpanItems()); // the SDK's shutdown clears the exporter
        }
    }

    /**
     * What an exporter sends of a span: its attributes, status and events' names and attributes (an
     * exception event also holds the Throwable in memory, which no exporter reads).
     */
    private static String exported(SpanData span) {
        StringBuilder sb = new StringBuilder(span.getName()).append(span.getAttributes()).append(span.getStatus());
        span.getEvents().forEach(e -> sb.append(e.getName()).append(e.getAttributes()));
        return sb.toString();
    }

    private static Throwable pathWithAName() {
        try {
            Path.of("/import/" + NAME + " MRN " + MRN + "\0");
            throw new AssertionError("Path.of accepted a NUL");
        } catch (RuntimeException e) {
            return new IllegalStateException("import of " + NAME + " failed", e);
        }
    }

    @Test
    void theTypeAndFramesStayTheMessagesGo() {
        SpanData span = record(true, pathWithAName(), "refused " + MRN).get(0);
        EventData exception = span.getEvents().get(0);
        assertThat(exception.getName()).isEqualTo("exception");
        assertThat(exception.getAttributes().get(SpanErrorRedaction.EXCEPTION_TYPE)).isEqualTo("java.lang.IllegalStateException");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.message"))).isNull();
        assertThat(exception.getAttributes().get(SpanErrorRedaction.EXCEPTION_STACKTRACE))
                .startsWith("java.lang.IllegalStateException\n\tat org.cxr.platform.tracing.SpanErrorRedactionTest.pathWithAName(SpanErrorRedactionTest.java:")
                .contains("\nCaused by: java.nio.file.InvalidPathException\n\tat ");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEmpty();
        assertThat(exported(span)).doesNotContain("McCormack").doesNotContain("Anastasia").doesNotContain(MRN);
    }

    @Test
    void withoutTheGuardTheSdkRecordsTheMessages() {
        // what this guard is for: the SDK's default puts every message of the chain in the span
        assertThat(exported(record(false, pathWithAName(), "refused " + MRN).get(0))).contains(NAME).contains(MRN);
    }

    @Test
    void aLongChainIsBoundedAndTheLimitRespected() {
        Throwable chain = new RuntimeException(NAME);
        for (int i = 0; i < 20; i++) {
            chain = new IllegalArgumentException(MRN + i, chain);
        }
        String trace = SpanErrorRedaction.stackTraceWithoutMessages(chain);
        assertThat(trace.split("Caused by: ", -1)).hasSize(8);
        assertThat(trace).doesNotContain(MRN).doesNotContain(NAME);
        List<String> set = new ArrayList<>();
        new SpanErrorRedaction().setExceptionAttributes(new ExceptionAttributeResolver.AttributeSetter() {
            @Override
            public <T> void setAttribute(AttributeKey<T> key, T value) {
                set.add(key.getKey() + "=" + value);
            }
        }, chain, 40);
        assertThat(set).hasSize(2).allSatisfy(a -> assertThat(a.length()).isLessThanOrEqualTo("exception.stacktrace=".length() + 40));
    }
}
