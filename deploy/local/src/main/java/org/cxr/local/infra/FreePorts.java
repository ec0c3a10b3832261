package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers. */
public final class FreePorts {
    /** Where the kernel says its ephemeral range is (Linux). */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Picked ports stay above the well-known and registered ports most servers use. */
    static final int LOWEST = 10_000;
    private static final int TRIES = 200;

    private FreePorts() {
    }

    /**
     * A port that is free on 127.0.0.1 right now (0: any). A port the OS hands out for 0 is one of
     * its ephemeral ports, which every outgoing connection also takes its local port from: between
     * the pick and the server's bind, a client connection (the platform's own, starting up) could take
     * it, and the server then fails with "Address already in use" (seen on ./cxr up: Kafka's controller
     * port, and a service restarted after kill -9, docs/reliability.md). So a port outside the
     * ephemeral range is picked at random, which no connection takes; the OS's choice only when the
     * range leaves no room.
     */
    public static int pick(int wanted) {
        if (wanted > 0) {
            if (!isFree(wanted)) {
                throw new IllegalStateException("port " + wanted + " on 127.0.0.1 is already in use;"
                        + " stop what uses it or choose another port");
            }
            return wanted;
        }
        int[] ephemeral = ephemeralRange();
        int below = Math.max(0, ephemeral[0] - LOWEST); // ports LOWEST .. ephemeral[0] - 1
        int above = Math.max(0, 65535 - ephemeral[1]); // ports ephemeral[1] + 1 .. 65535
        if (below + above >= 1000) {
            for (int i = 0; i < TRIES; i++) {
                int n = ThreadLocalRandom.current().nextInt(below + above);
                int port = n < below ? LOWEST + n : ephemeral[1] + 1 + (n - below);
                if (isFree(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** The kernel's ephemeral port range, first and last; Linux's default when it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            int high = Integer.parseInt(range[1]);
            if (low >= 1 && low <= high && high <= 65535) {
                return new int[] {low, high};
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an odd value: the default below
        }
        return new int[] {32768, 60999};
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
