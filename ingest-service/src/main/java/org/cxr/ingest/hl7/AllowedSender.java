package org.cxr.ingest.hl7;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.cxr.dimse.AllowedPeer;

/**
 * One entry of the HL7 sender allow-list: the sending application (MSH-3.1), optionally its
 * facility (MSH-4.1) and the networks it may connect from, and the source name it stands for.
 * Text form, like the DICOM calling-AE list: {@code [SOURCE=]APPLICATION[^FACILITY][@ADDRESS[/PREFIX][|...]]}.
 */
public record AllowedSender(String source, String application, String facility, List<AllowedPeer.Network> networks) {

    public static AllowedSender parse(String text) {
        String t = text.strip();
        String source = null;
        int eq = t.indexOf('=');
        if (eq >= 0) {
            source = t.substring(0, eq).strip();
            t = t.substring(eq + 1);
        }
        List<AllowedPeer.Network> nets = new ArrayList<>();
        int at = t.indexOf('@');
        if (at >= 0) {
            for (String n : t.substring(at + 1).split("\\|")) {
                nets.add(AllowedPeer.Network.parse(n.strip()));
            }
            t = t.substring(0, at);
        }
        String facility = null;
        int caret = t.indexOf('^');
        if (caret >= 0) {
            facility = t.substring(caret + 1).strip();
            t = t.substring(0, caret);
        }
        String app = t.strip();
        if (app.isEmpty()) {
            throw new IllegalArgumentException("allowed HL7 sender without an application name: '" + text + "'");
        }
        return new AllowedSender(source == null || source.isEmpty() ? app : source, app, facility, List.copyOf(nets));
    }

    public boolean admits(String sendingApplication, String sendingFacility, InetAddress remote) {
        return application.equals(sendingApplication) && (facility == null || facility.equals(sendingFacility))
                && (networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(remote)));
    }
}
