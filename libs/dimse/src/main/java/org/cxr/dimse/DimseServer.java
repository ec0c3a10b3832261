package org.cxr.dimse;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;

/**
 * A DICOM storage SCP: accepts connections on one port and runs each on a thread of a bounded
 * pool ({@code maxConnections}, {@link TcpListener}); at most {@code maxAssociations} of them are associated at once,
 * the others get A-ASSOCIATE-RJ (transient, local limit exceeded), and connections beyond the
 * pool are closed at once. Verification (C-ECHO) and C-STORE of the configured SOP classes;
 * received instances go to the {@link StoreHandler}.
 */
public final class DimseServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DimseServer.class.getName());

    private final ScpConfig config;
    private final StoreHandler handler;
    private final ScpListener listener;
    private final ScheduledThreadPoolExecutor timers;
    private final Semaphore associations;
    private TcpListener tcp;

    private DimseServer(ScpConfig config, StoreHandler handler, ScpListener listener) {
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        this.associations = new Semaphore(config.maxAssociations());
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dimse-artim");
            t.setDaemon(true);
            return t;
        });
        this.timers.setRemoveOnCancelPolicy(true);
    }

    /** Binds the port and starts accepting. */
    public static DimseServer start(ScpConfig config, StoreHandler handler, ScpListener listener) throws IOException {
        DimseServer server = new DimseServer(config, handler, listener == null ? new ScpListener() { } : listener);
        server.tcp = TcpListener.start("dimse-association", config.bindAddress(), config.port(), config.maxConnections(),
                s -> new Association(server, s).run(),
                s -> server.listener.connectionClosed(s.getInetAddress(), "all " + config.maxConnections() + " connection slots busy"));
        LOG.log(System.Logger.Level.INFO, () -> "DICOM storage SCP " + config.aeTitle() + " listening on port "
                + server.port() + " (" + config.allowedPeers().size() + " allowed calling AE entries, "
                + config.storageSopClasses().size() + " SOP classes, " + config.transferSyntaxes().size() + " transfer syntaxes)");
        return server;
    }

    public int port() {
        return tcp.port();
    }

    /** Associations established right now. */
    public int activeAssociations() {
        return config.maxAssociations() - associations.availablePermits();
    }

    /** Stops accepting, closes every connection (partly received data sets are dropped) and waits for the threads. */
    @Override
    public void close() {
        tcp.close();
        timers.shutdownNow();
    }

    ScpConfig config() {
        return config;
    }

    StoreHandler handler() {
        return handler;
    }

    ScpListener listener() {
        return listener;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Semaphore associations() {
        return associations;
    }
}
