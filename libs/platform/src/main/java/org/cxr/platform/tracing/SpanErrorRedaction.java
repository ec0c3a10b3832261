package org.cxr.platform.tracing;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.internal.ExceptionAttributeResolver;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;

/**
 * Keeps exception messages out of every service's spans (the PHI rule for traces): OpenTelemetry
 * records a failed span's exception as an event with {@code exception.message} and
 * {@code exception.stacktrace} (Quarkus REST records whatever a resource throws, the Kafka
 * instrumentation a nacked record's failure), and a parser's or the JDK's message may quote what a
 * client sent ({@code Path.of} quotes the whole path it refuses). What an operator's collector gets
 * instead: {@code exception.type} and a stack trace of exception types and code frames only, no
 * message of the exception or its causes; a span's status stays ERROR without its description.
 *
 * <p>Two hooks of the SDK, because one does not reach both: the exception attributes are built as
 * the event is recorded ({@link ExceptionAttributeResolver}, installed on the tracer provider by
 * {@link SpanErrorRedactionInstaller}), the status description is dropped as the span ends (this
 * bean, a span processor of each service like {@link SpanUrlRedaction}). Both interfaces are
 * marked internal by the SDK (pinned by the Quarkus BOM); {@code SpanErrorRedactionTest} fails if
 * they change meaning.
 */
@ApplicationScoped
public class SpanErrorRedaction implements ExtendedSpanProcessor, ExceptionAttributeResolver {
    static final AttributeKey<String> EXCEPTION_TYPE = ExceptionAttributeResolver.EXCEPTION_TYPE;
    static final AttributeKey<String> EXCEPTION_STACKTRACE = ExceptionAttributeResolver.EXCEPTION_STACKTRACE;
    /** Causes followed and frames kept per exception: enough to find the code, bounded for a runaway chain. */
    private static final int MAX_CAUSES = 8;
    private static final int MAX_FRAMES = 64;

    /** The exception's type and its causes' types with their code frames, as Java prints them, with no message. */
    static String stackTraceWithoutMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause(), depth++) {
            sb.append(depth == 0 ? "" : "Caused by: ").append(c.getClass().getName()).append('\n');
            StackTraceElement[] frames = c.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                StackTraceElement f = frames[i];
                sb.append("\tat ").append(f.getClassName()).append('.').append(f.getMethodName()).append('(')
                        .append(f.getFileName() == null ? "Unknown Source" : f.getFileName());
                if (f.getLineNumber() >= 0) {
                    sb.append(':').append(f.getLineNumber());
                }
                sb.append(")\n");
            }
            if (frames.length > MAX_FRAMES) {
                sb.append("\t... ").append(frames.length - MAX_FRAMES).append(" more\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void setExceptionAttributes(AttributeSetter attributes, Throwable exception, int maxAttributeLength) {
        attributes.setAttribute(EXCEPTION_TYPE, exception.getClass().getName());
        String trace = stackTraceWithoutMessages(exception);
        attributes.setAttribute(EXCEPTION_STACKTRACE,
                trace.length() > maxAttributeLength ? trace.substring(0, maxAttributeLength) : trace);
    }

    @Override
    public void onEnding(ReadWriteSpan span) {
        // a description is free text (setStatus(ERROR, e.getMessage()) is a common idiom): the code stays.
        // The SDK has no status getter short of a snapshot (only recording spans, SDK on, get here).
        StatusData status = span.toSpanData().getStatus();
        if (status.getStatusCode() == StatusCode.ERROR && !status.getDescription().isEmpty()) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    @Override
    public boolean isOnEndingRequired() {
        return true;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
