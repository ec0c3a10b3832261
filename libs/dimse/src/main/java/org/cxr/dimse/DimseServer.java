package org.cxr.dimse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DICOM storage SCP: accepts connections on one port and runs each on a thread of a bounded
 * pool ({@code maxConnections}); at most {@code maxAssociations} of them are associated at once,
 * the others get A-ASSOCIATE-RJ (transient, local limit exceeded), and connections beyond the
 * pool are closed at once. Verification (C-ECHO) and C-STORE of the configured SOP classes;
 * received instances go to the {@link StoreHandler}.
 */
public final class DimseServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DimseServer.class.getName());

    private final ScpConfig config;
    private final StoreHandler handler;
    private final ScpListener listener;
    private final ServerSocket serverSocket;
    private final ThreadPoolExecutor connections;
    private final ScheduledThreadPoolExecutor timers;
    private final Semaphore associations;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private DimseServer(ScpConfig config, StoreHandler handler, ScpListener listener, ServerSocket serverSocket) {
        this.config = config;
        this.handler = handler;
        this.listener = listener;
        this.serverSocket = serverSocket;
        this.associations = new Semaphore(config.maxAssociations());
        AtomicInteger n = new AtomicInteger();
        this.connections = new ThreadPoolExecutor(0, config.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "dimse-association-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dimse-artim");
            t.setDaemon(true);
            return t;
        });
        this.timers.setRemoveOnCancelPolicy(true);
        this.acceptor = new Thread(this::acceptLoop, "dimse-accept-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Binds the port and starts accepting. */
    public static DimseServer start(ScpConfig config, StoreHandler handler, ScpListener listener) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        InetAddress bind = config.bindAddress() == null ? null : InetAddress.getByName(config.bindAddress());
        ss.bind(new InetSocketAddress(bind, config.port()), 64);
        DimseServer server = new DimseServer(config, handler, listener == null ? new ScpListener() { } : listener, ss);
        server.acceptor.start();
        LOG.log(System.Logger.Level.INFO, () -> "DICOM storage SCP " + config.aeTitle() + " listening on port "
                + ss.getLocalPort() + " (" + config.allowedPeers().size() + " allowed calling AE entries, "
                + config.storageSopClasses().size() + " SOP classes, " + config.transferSyntaxes().size() + " transfer syntaxes)");
        return server;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Associations established right now. */
    public int activeAssociations() {
        return config.maxAssociations() - associations.availablePermits();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            open.add(s);
            try {
                connections.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                listener.connectionClosed(s.getInetAddress(), "all " + config.maxConnections() + " connection slots busy");
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        try {
            new Association(this, s).run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "association failed", e);
        } finally {
            open.remove(s);
            closeQuietly(s);
        }
    }

    /** Stops accepting, closes every connection (partly received data sets are dropped) and waits for the threads. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(DimseServer::closeQuietly);
        connections.shutdown();
        try {
            acceptor.join(5000);
            if (!connections.awaitTermination(10, TimeUnit.SECONDS)) {
                connections.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
