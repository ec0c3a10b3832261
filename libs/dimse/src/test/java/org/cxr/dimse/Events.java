package org.cxr.dimse;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Every listener notification as a line of text, with a wait for a matching one. */
final class Events implements ScpListener {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void associationAccepted(String callingAe, InetAddress remote, int acceptedContexts, int proposedContexts) {
        lines.add("accepted " + callingAe + " " + acceptedContexts + "/" + proposedContexts);
    }

    @Override
    public void associationRejected(String callingAe, InetAddress remote, Pdu.AssociateRj reject, String why) {
        lines.add("rejected " + callingAe + " result=" + reject.result() + " source=" + reject.source() + " reason="
                + reject.reason() + " " + why);
    }

    @Override
    public void associationAborted(String callingAe, InetAddress remote, boolean byPeer, String why) {
        lines.add("aborted " + callingAe + (byPeer ? " by peer " : " by us ") + why);
    }

    @Override
    public void associationReleased(String callingAe, InetAddress remote, int messages) {
        lines.add("released " + callingAe + " messages=" + messages);
    }

    @Override
    public void connectionClosed(InetAddress remote, String why) {
        lines.add("closed " + why);
    }

    @Override
    public void storeAnswered(String callingAe, DimseStatus status, long bytes, long nanos) {
        lines.add("store " + callingAe + " " + status);
    }

    /** Waits up to {@code seconds} for a line that matches; returns it or fails with all lines. */
    String await(Predicate<String> match, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            for (String l : lines) {
                if (match.test(l)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching event within " + seconds + " s; events: " + lines);
    }
}
