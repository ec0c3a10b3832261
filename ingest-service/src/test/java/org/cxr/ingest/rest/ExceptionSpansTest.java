package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.ingest.testing.Api.given;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A request that fails with an exception whose message quotes what the client sent: the spans
 * ingest hands to its exporter keep the exception's type and code frames and no byte of the
 * message. The import path is a folder named after a patient with a NUL in it; {@code Path.of}
 * refuses it with "Nul character not allowed: /import/McCormack, ..." (ErrorMapper answers 500 and
 * logs no message; Quarkus REST records the exception on the request's span). Without
 * libs/platform's SpanErrorRedaction the exception event carries the whole path.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class ExceptionSpansTest {
    static final String FAMILY = "McCormack";
    static final String GIVEN = "Anastasia";
    static final String MRN = "53049853";

    /** Every span ingest ends, as its exporter would get it (the tests run with no exporter of their own). */
    static final InMemorySpanExporter EXPORTED = InMemorySpanExporter.create();

    @Singleton
    static class Exporting {
        @Produces
        @Singleton
        SpanProcessor exported() {
            return SimpleSpanProcessor.create(EXPORTED);
        }
    }

    private static List<SpanData> awaitServerSpan(String trace) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<SpanData> spans = EXPORTED.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
            if (spans.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER)) {
                return spans;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no server span of trace " + trace);
    }

    /** What an exporter sends of a span: name, attributes, status, events' names and attributes. */
    private static String exported(SpanData span) {
        StringBuilder sb = new StringBuilder(span.getName()).append(span.getAttributes()).append(span.getStatus());
        span.getEvents().forEach(e -> sb.append(e.getName()).append(e.getAttributes()));
        return sb.toString();
    }

    @Test
    void aFailedRequestsSpanKeepsTheExceptionTypeAndNoneOfItsMessage() throws InterruptedException {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        String trace = HexFormat.of().formatHex(id);
        EXPORTED.reset(); // what the module's other tests traced
        String folder = "/import/" + FAMILY + ", " + GIVEN + " MRN " + MRN + "\u0000";
        given().header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").contentType("application/json")
                .body(Map.of("path", folder)).post("/imports").then().statusCode(500);

        List<SpanData> spans = awaitServerSpan(trace);
        SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        EventData exception = server.getEvents().stream().filter(e -> e.getName().equals("exception")).findFirst()
                .orElseThrow(() -> new AssertionError("no exception event: " + exported(server)));
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo("java.nio.file.InvalidPathException");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
                .contains("\tat org.cxr.ingest.service.ImportService.start(ImportService.java:");
        assertThat(spans).allSatisfy(s -> assertThat(exported(s)).doesNotContain(FAMILY).doesNotContain(GIVEN)
                .doesNotContain(MRN));
    }
}
