package org.cxr.dimse;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * A received C-STORE: the instance as a Part 10 file (file meta group built from the command and
 * the presentation context, then the data set exactly as the peer sent it).
 *
 * @param callingAe        the peer's AE title (allow-listed)
 * @param source           the name of the allow-list entry that admitted the peer
 * @param file             a temporary file, deleted after the handler returns
 * @param size             size of the file in bytes
 */
public record StoreRequest(String callingAe, String source, String calledAe, InetAddress remoteAddress,
                           String sopClassUid, String sopInstanceUid, String transferSyntaxUid, int priority,
                           Path file, long size) {
}
