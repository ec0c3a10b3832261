package org.cxr.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A trace collector for the shared platform: accepts OTLP/HTTP protobuf exports ({@code POST
 * /v1/traces}) from the four services and keeps each request's bytes as a file under the platform's
 * data directory, so that the PHI scan of everything the platform wrote ({@link PhiLeakScanIT})
 * covers the exported spans too. {@link #environment()} is what turns the services' exporter on.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One exported span and the service (resource {@code service.name}) that exported it. */
    record Exported(String service, Span span) {
        String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return hex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return hex(span.getParentSpanId().toByteArray());
        }
    }

    private final HttpServer server;
    private final Path dir;
    private final AtomicLong requests = new AtomicLong();

    private OtlpReceiver(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::export);
        server.start();
    }

    static OtlpReceiver start(Path dir) {
        try {
            return new OtlpReceiver(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The services' tracing settings: SDK on, OTLP over HTTP/protobuf to this receiver, batches
     * exported every 200 ms (a test waits for them).
     */
    Map<String, String> environment() {
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Files.write(dir.resolve(String.format("traces-%08d.pb", requests.incrementAndGet())), body);
            // an empty ExportTraceServiceResponse: everything accepted
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** Every export request's bytes received so far. */
    List<byte[]> bodies() throws IOException {
        List<byte[]> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                all.add(Files.readAllBytes(f));
            }
        }
        return all;
    }

    /** Every span received so far. */
    List<Exported> spans() throws IOException {
        List<Exported> spans = new ArrayList<>();
        for (byte[] body : bodies()) {
            for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                String service = rs.getResource().getAttributesList().stream()
                        .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                        .map(v -> v.getStringValue()).findFirst().orElse("?");
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    ss.getSpansList().forEach(s -> spans.add(new Exported(service, s)));
                }
            }
        }
        return spans;
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
