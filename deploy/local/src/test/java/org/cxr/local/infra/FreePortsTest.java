package org.cxr.local.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    /** Outgoing connections take their local port from the ephemeral range: a picked port is never there. */
    @Test
    void picksFreePortsOutsideTheEphemeralRange() throws Exception {
        int[] ephemeral = FreePorts.ephemeralRange();
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.pick(0);
            assertThat(port).isBetween(FreePorts.LOWEST, 65535);
            assertThat(port < ephemeral[0] || port > ephemeral[1]).as("port %d, ephemeral range %d-%d", port,
                    ephemeral[0], ephemeral[1]).isTrue();
            picked.add(port);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port); // free indeed: a server binds it
            }
        }
        assertThat(picked.size()).as("spread at random, not one port over and over").isGreaterThan(150);
    }

    /** What the race looked like: a client connection's own port is one the OS would have handed out for 0. */
    @Test
    void aClientConnectionsLocalPortIsInTheEphemeralRangeThatPicksAvoid() throws Exception {
        int[] ephemeral = FreePorts.ephemeralRange();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            }
            for (Socket c : clients) {
                assertThat(c.getLocalPort()).isBetween(ephemeral[0], ephemeral[1]);
                assertThat(FreePorts.isFree(c.getLocalPort())).isFalse();
            }
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }

    @Test
    void aWantedPortInUseIsRefused() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> FreePorts.pick(s.getLocalPort())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use");
        }
    }
}
