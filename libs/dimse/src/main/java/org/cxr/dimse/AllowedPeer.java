package org.cxr.dimse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the calling-AE allow-list: an AE title (exact, case-sensitive as DICOM compares
 * them), optionally bound to the network addresses it may connect from, and the name of the
 * source it stands for (a PACS, a modality).
 * <p>Text form: {@code [SOURCE=]AE_TITLE[@ADDRESS[/PREFIX][|ADDRESS[/PREFIX]...]]}, e.g.
 * {@code main-pacs=PACS1@10.1.2.0/24|10.1.3.7}. Addresses are IP literals (no name lookups).
 */
public record AllowedPeer(String source, String aeTitle, List<Network> networks) {

    public AllowedPeer {
        if (!ScpConfig.isValidAeTitle(aeTitle)) {
            throw new IllegalArgumentException("not a valid AE title: '" + aeTitle + "'");
        }
        source = source == null || source.isBlank() ? aeTitle : source.strip();
        networks = List.copyOf(networks);
    }

    public static AllowedPeer of(String aeTitle) {
        return new AllowedPeer(null, aeTitle, List.of());
    }

    /** Parses the text form. */
    public static AllowedPeer parse(String text) {
        String t = text.strip();
        String source = null;
        int eq = t.indexOf('=');
        if (eq >= 0) {
            source = t.substring(0, eq);
            t = t.substring(eq + 1);
        }
        List<Network> nets = new ArrayList<>();
        int at = t.indexOf('@');
        if (at >= 0) {
            for (String n : t.substring(at + 1).split("\\|")) {
                nets.add(Network.parse(n.strip()));
            }
            t = t.substring(0, at);
        }
        return new AllowedPeer(source, t.strip(), nets);
    }

    /** The peer may use this entry: same AE title, and an address in one of the networks (any when none). */
    public boolean admits(String callingAe, InetAddress remote) {
        if (!aeTitle.equals(callingAe)) {
            return false;
        }
        return networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(remote));
    }

    @Override
    public String toString() {
        return source + "=" + aeTitle + (networks.isEmpty() ? "" : "@" + String.join("|", networks.stream().map(Network::toString).toList()));
    }

    /** An address with a prefix length (a single host when the prefix is the full length). */
    public record Network(byte[] address, int prefix) {
        public static Network parse(String s) {
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            if (!host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("'" + host + "' is not an IP address (host names are not looked up)");
            }
            try {
                byte[] a = InetAddress.getByName(host).getAddress();
                int prefix = slash < 0 ? a.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (prefix < 0 || prefix > a.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + s + "'");
                }
                return new Network(a, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an address or network: '" + s + "'", e);
            }
        }

        public boolean contains(InetAddress remote) {
            byte[] r = remote.getAddress();
            if (r.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (r[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (r[full] & mask) == (address[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
