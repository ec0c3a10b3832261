package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 API server (S3Proxy with its filesystem store) for the MinIO Java SDK, on loopback.
 * The MinIO server binary is not installable on our build machines; in docker-compose and
 * Kubernetes the services talk to real MinIO with the same client code. S3Proxy knows one identity
 * (every client that has it may do everything): generated per data directory ({@link Secrets}), for the
 * launcher and for each test run.
 */
public final class S3Server implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    public S3Server(Path dataDir, int port, String accessKey, String secretKey) {
        this.dataDir = dataDir;
        this.port = FreePorts.pick(port);
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public S3Server start() {
        try {
            Path store = dataDir.resolve("s3");
            Files.createDirectories(store);
            Properties props = new Properties();
            props.setProperty("jclouds.identity", accessKey);
            props.setProperty("jclouds.credential", secretKey);
            props.setProperty("jclouds.filesystem.basedir", store.toString());
            proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create("filesystem-nio2", props))
                    .endpoint(URI.create(endpoint()))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("S3 server did not start: " + proxy.getState());
                }
                Thread.sleep(20);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare S3 store in " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting S3 server", e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3 server did not stop cleanly", e);
            } finally {
                proxy = null;
            }
        }
    }
}
