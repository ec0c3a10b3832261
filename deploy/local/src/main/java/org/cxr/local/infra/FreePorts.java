package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port that is free on 127.0.0.1 right now (0 asks the OS for one). */
    public static int pick(int wanted) {
        if (wanted > 0) {
            if (!isFree(wanted)) {
                throw new IllegalStateException("port " + wanted + " on 127.0.0.1 is already in use;"
                        + " stop what uses it or choose another port");
            }
            return wanted;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
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
