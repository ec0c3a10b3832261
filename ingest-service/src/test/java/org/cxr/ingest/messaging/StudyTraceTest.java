package org.cxr.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/** Announcements made outside a request (DIMSE, HL7, drop folder, import) join their study's trace. */
class StudyTraceTest {
    private static String current() {
        return Span.current().getSpanContext().getTraceId();
    }

    @Test
    void withoutACallersTraceEachStudyHasOneTraceOfItsOwn() {
        String first;
        try (Scope s = EventPublisher.studyTrace("50000001")) {
            first = current();
            assertThat(Span.current().getSpanContext().isSampled()).isTrue();
        }
        try (Scope s = EventPublisher.studyTrace("50000001")) {
            assertThat(current()).isEqualTo(first);
        }
        try (Scope s = EventPublisher.studyTrace("50000002")) {
            assertThat(current()).isNotEqualTo(first).matches("[0-9a-f]{32}");
        }
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        // an event without a study (import progress) starts no trace here
        try (Scope s = EventPublisher.studyTrace(null)) {
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
        }
    }

    @Test
    void aCallersTraceIsKept() {
        SpanContext request = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope r = Context.root().with(Span.wrap(request)).makeCurrent();
                Scope s = EventPublisher.studyTrace("50000001")) {
            assertThat(Span.current().getSpanContext()).isEqualTo(request);
        }
    }
}
