package org.cxr.dimse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP listener for the hospital protocols (DICOM here, MLLP in ingest): one thread per
 * connection from a pool of at most {@code maxConnections} (Java 17: no virtual threads);
 * connections beyond that are handed to {@code refused} and closed at once. Each connection's
 * socket is closed when {@code serve} returns. {@link #close()} stops accepting, closes every open
 * connection and waits for the threads.
 */
public final class TcpListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());

    private final ServerSocket serverSocket;
    private final Consumer<Socket> serve;
    private final Consumer<Socket> refused;
    private final ThreadPoolExecutor pool;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private TcpListener(String name, ServerSocket serverSocket, int maxConnections, Consumer<Socket> serve,
                        Consumer<Socket> refused) {
        this.serverSocket = serverSocket;
        this.serve = serve;
        this.refused = refused;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name + "-accept-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Binds ({@code bindAddress} null: every interface; port 0: any free port) and starts accepting. */
    public static TcpListener start(String name, String bindAddress, int port, int maxConnections, Consumer<Socket> serve,
                                    Consumer<Socket> refused) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(bindAddress == null ? null : InetAddress.getByName(bindAddress), port), 64);
        TcpListener listener = new TcpListener(name, ss, maxConnections, serve, refused);
        listener.acceptor.start();
        return listener;
    }

    public int port() {
        return serverSocket.getLocalPort();
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
                pool.execute(() -> run(s));
            } catch (RejectedExecutionException e) {
                open.remove(s);
                try {
                    refused.accept(s);
                } finally {
                    closeQuietly(s);
                }
            }
        }
    }

    private void run(Socket s) {
        try {
            serve.accept(s);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "connection from " + s.getInetAddress().getHostAddress() + " failed", e);
        } finally {
            open.remove(s);
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(TcpListener::closeQuietly);
        pool.shutdown();
        try {
            acceptor.join(5000);
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void closeQuietly(Socket s) {
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
