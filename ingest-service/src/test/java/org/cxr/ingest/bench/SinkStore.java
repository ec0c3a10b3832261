package org.cxr.ingest.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.cxr.local.testing.LocalInfraTestResource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An S3 endpoint that accepts every PUT and throws the bytes away, so that the service's own
 * capacity can be measured without the object store's write cost. The service still does all of
 * its work (MinIO SDK, request signing, the full HTTP upload); only the server side is free. Used
 * by the benchmark only: real Kafka and PostgreSQL stay.
 */
public class SinkStore implements QuarkusTestResourceLifecycleManager {
    static final AtomicLong PUTS = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        server.setExecutor(Executors.newFixedThreadPool(16, r -> new Thread(r, "sink-s3-" + threads.incrementAndGet())));
        server.createContext("/", SinkStore::handle);
        server.start();
        Map<String, String> cfg = new HashMap<>(LocalInfraTestResource.endpoints().quarkusConfig("ingest"));
        cfg.put("cxr.s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
        return cfg;
    }

    private static void handle(HttpExchange ex) throws IOException {
        long n = 0;
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        }
        String method = ex.getRequestMethod();
        String query = ex.getRequestURI().getRawQuery();
        byte[] body = new byte[0];
        if ("GET".equals(method) && query != null && query.contains("location")) {
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">us-east-1</LocationConstraint>"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/xml");
        }
        if ("PUT".equals(method)) {
            PUTS.incrementAndGet();
            BYTES.addAndGet(n);
            ex.getResponseHeaders().add("ETag", "\"00000000000000000000000000000000\"");
        }
        if ("HEAD".equals(method)) {
            ex.sendResponseHeaders(200, -1);
        } else {
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
