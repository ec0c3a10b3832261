package org.cxr.platform.tracing;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps identifiers out of the HTTP server spans of every service (the PHI rule for traces): a
 * request path may name a hospital's StudyInstanceUID (ingest's {@code /studies/{uid}/report}) or a
 * patient id a client typed ({@code /subjects/{id}} on the catalog), and a query string may carry
 * anything, so before a span is recorded every path segment with a digit becomes {@code {id}} and
 * the query is dropped. The route template ({@code http.route}, the span name) stays, which is all a
 * trace needs. A bean of each service that has quarkus-opentelemetry; it only runs when the SDK
 * exports spans ({@code QUARKUS_OTEL_SDK_DISABLED=false}).
 */
@ApplicationScoped
public class SpanUrlRedaction implements SpanProcessor {
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final Pattern SEGMENT_WITH_DIGIT = Pattern.compile("(?<=/)[^/]*\\d[^/]*");

    static String redactPath(String path) {
        return SEGMENT_WITH_DIGIT.matcher(path).replaceAll("{id}");
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (span.getKind() != SpanKind.SERVER) {
            return;
        }
        String path = span.getAttribute(URL_PATH);
        if (path != null) {
            span.setAttribute(URL_PATH, redactPath(path));
        }
        // an attribute cannot be removed once set: overwritten
        if (span.getAttribute(URL_QUERY) != null) {
            span.setAttribute(URL_QUERY, "");
        }
        if (span.getAttribute(URL_FULL) != null) {
            span.setAttribute(URL_FULL, "");
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
