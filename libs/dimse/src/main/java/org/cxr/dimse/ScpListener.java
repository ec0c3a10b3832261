package org.cxr.dimse;

import java.net.InetAddress;

/**
 * Notifications from a {@link DimseServer} for metrics, logs and tests. Called on the
 * association's thread; implementations must be quick and must not throw.
 */
public interface ScpListener {
    /** An A-ASSOCIATE-AC was sent. */
    default void associationAccepted(String callingAe, InetAddress remote, int acceptedContexts, int proposedContexts) {
    }

    /** An A-ASSOCIATE-RJ was sent. */
    default void associationRejected(String callingAe, InetAddress remote, Pdu.AssociateRj reject, String why) {
    }

    /** The association ended with an A-ABORT (sent or received) or a lost connection; {@code byPeer} tells who. */
    default void associationAborted(String callingAe, InetAddress remote, boolean byPeer, String why) {
    }

    /** The peer released the association. */
    default void associationReleased(String callingAe, InetAddress remote, int messages) {
    }

    /** A connection closed without an association: ARTIM expired, the peer left, or the server was full. */
    default void connectionClosed(InetAddress remote, String why) {
    }

    /** A C-STORE was answered with {@code status}. */
    default void storeAnswered(String callingAe, DimseStatus status, long bytes, long nanos) {
    }
}
