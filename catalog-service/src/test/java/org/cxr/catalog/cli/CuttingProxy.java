package org.cxr.catalog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of the catalog for the download tests: it counts the bytes the catalog
 * sends, keeps the requests' text (to see the Range headers), and can cut the network: once
 * {@code marker} (the first bytes of one file) has gone through a connection followed by
 * {@code cutAfter} more bytes, every connection is closed, as a broken link would. After the cut it
 * refuses every new connection, unless it heals (then only that one cut happens).
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final int target;
    private final byte[] marker;
    private final long cutAfter;
    private final boolean heals;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong down = new AtomicLong();
    private final StringBuffer requests = new StringBuffer();
    private volatile boolean cutting;
    private volatile boolean cutDone;

    /** A proxy that only counts. */
    CuttingProxy(int target) throws IOException {
        this(target, null, 0, false);
    }

    CuttingProxy(int target, byte[] marker, long cutAfter, boolean heals) throws IOException {
        this.target = target;
        this.marker = marker;
        this.cutAfter = cutAfter;
        this.heals = heals;
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes the catalog sent through the proxy (headers included). */
    long bytesDown() {
        return down.get();
    }

    String requests() {
        return requests.toString();
    }

    boolean cut() {
        return cutDone;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cutting) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromCatalog) {
        Thread t = new Thread(() -> {
            byte[] window = new byte[0]; // the last bytes before this read, for a marker across two reads
            long windowStart = 0;
            long markerAt = -1;
            long passed = 0;
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (!fromCatalog) {
                        requests.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        out.write(buf, 0, n);
                        continue;
                    }
                    int send = n;
                    if (marker != null && !cutDone) {
                        if (markerAt < 0) {
                            byte[] w = Arrays.copyOf(window, window.length + n);
                            System.arraycopy(buf, 0, w, window.length, n);
                            int i = indexOf(w, marker);
                            if (i >= 0) {
                                markerAt = windowStart + i;
                            } else {
                                window = Arrays.copyOfRange(w, Math.max(0, w.length - marker.length + 1), w.length);
                                windowStart = passed + n - window.length;
                            }
                        }
                        if (markerAt >= 0 && passed + n - markerAt >= cutAfter) {
                            send = (int) Math.max(0, markerAt + cutAfter - passed);
                        }
                    }
                    out.write(buf, 0, send);
                    out.flush();
                    down.addAndGet(send);
                    passed += n;
                    if (send < n) {
                        cutAll();
                        return;
                    }
                }
            } catch (IOException e) {
                // the other side closed, or the cut
            } finally {
                close(from);
                close(to);
            }
        }, fromCatalog ? "proxy-down" : "proxy-up");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void cutAll() {
        cutting = true;
        cutDone = true;
        for (Socket s : open) {
            close(s);
        }
        open.clear();
        cutting = !heals;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            close(s);
        }
    }

    @Override
    public String toString() {
        return "proxy " + url() + " -> " + target + " (" + down.get() + " bytes down" + (cutDone ? ", cut" : "") + ")";
    }
}
