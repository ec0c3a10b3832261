package org.cxr.dimse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cxr.dicom.TransferSyntax;

/**
 * How a {@link DimseServer} listens and what it accepts. Built with {@link #builder(String)};
 * nothing is allowed by default: a calling AE must be on the allow-list.
 *
 * @param aeTitle           the called AE title peers must use
 * @param bindAddress       address to listen on (null: all)
 * @param port              TCP port (0: any free port)
 * @param allowedPeers      calling AE titles (and their networks) that may associate
 * @param storageSopClasses the storage SOP classes accepted (Verification is always accepted)
 * @param transferSyntaxes  the transfer syntaxes accepted for storage (default: what the converter decodes)
 * @param maxPduLength      the largest P-DATA-TF this side receives (announced in the A-ASSOCIATE-AC)
 * @param artimTimeout      a connection must send its A-ASSOCIATE-RQ within this, and close within this after release/abort/reject
 * @param idleTimeout       an established association silent this long is aborted
 * @param maxAssociations   concurrent associations; more get A-ASSOCIATE-RJ transient "local limit exceeded"
 * @param maxConnections    concurrent connections (negotiating, rejecting or associated); more are closed at once
 * @param maxObjectBytes    largest data set accepted (0xA701 above)
 * @param workDir           where data sets are buffered while they arrive
 */
public record ScpConfig(String aeTitle, String bindAddress, int port, List<AllowedPeer> allowedPeers,
                        Set<String> storageSopClasses, Set<String> transferSyntaxes, int maxPduLength,
                        Duration artimTimeout, Duration idleTimeout, int maxAssociations, int maxConnections,
                        long maxObjectBytes, Path workDir) {

    /** The Verification SOP class (C-ECHO). */
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    /** Transfer syntaxes offered for Verification (no data set travels). */
    public static final Set<String> VERIFICATION_SYNTAXES =
            Set.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

    public ScpConfig {
        if (!isValidAeTitle(aeTitle)) {
            throw new IllegalArgumentException("not a valid AE title: '" + aeTitle + "'");
        }
        allowedPeers = List.copyOf(allowedPeers);
        storageSopClasses = Set.copyOf(storageSopClasses);
        transferSyntaxes = Set.copyOf(transferSyntaxes);
        if (maxPduLength < 4096) {
            throw new IllegalArgumentException("max PDU length must be at least 4096");
        }
        if (maxAssociations < 1 || maxConnections < maxAssociations) {
            throw new IllegalArgumentException("need 1 <= maxAssociations <= maxConnections");
        }
        Objects.requireNonNull(artimTimeout);
        Objects.requireNonNull(idleTimeout);
        Objects.requireNonNull(workDir);
    }

    /** 1-16 characters of the default repertoire, no backslash or control characters, not all spaces. */
    public static boolean isValidAeTitle(String ae) {
        if (ae == null || ae.isBlank() || ae.length() > 16) {
            return false;
        }
        return ae.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '\\');
    }

    public static Builder builder(String aeTitle) {
        return new Builder(aeTitle);
    }

    /** Defaults: port 0, the converter's transfer syntaxes, 256 KiB PDUs, ARTIM 10 s, idle 60 s, 8 associations. */
    public static final class Builder {
        private final String aeTitle;
        private String bindAddress;
        private int port;
        private List<AllowedPeer> allowedPeers = List.of();
        private Set<String> storageSopClasses = Set.of();
        private Set<String> transferSyntaxes = TransferSyntax.convertible();
        private int maxPduLength = 256 * 1024;
        private Duration artimTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxAssociations = 8;
        private int maxConnections = -1;
        private long maxObjectBytes = 256L << 20;
        private Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder(String aeTitle) {
            this.aeTitle = aeTitle;
        }

        public Builder bind(String address, int port) {
            this.bindAddress = address;
            this.port = port;
            return this;
        }

        public Builder allowedPeers(List<AllowedPeer> peers) {
            this.allowedPeers = peers;
            return this;
        }

        public Builder storageSopClasses(Set<String> uids) {
            this.storageSopClasses = uids;
            return this;
        }

        public Builder transferSyntaxes(Set<String> uids) {
            this.transferSyntaxes = uids;
            return this;
        }

        public Builder maxPduLength(int bytes) {
            this.maxPduLength = bytes;
            return this;
        }

        public Builder artimTimeout(Duration d) {
            this.artimTimeout = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder maxAssociations(int n) {
            this.maxAssociations = n;
            return this;
        }

        /** Default: max associations + 4, so that the ones over the limit still get their A-ASSOCIATE-RJ. */
        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        public Builder maxObjectBytes(long bytes) {
            this.maxObjectBytes = bytes;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public ScpConfig build() {
            return new ScpConfig(aeTitle, bindAddress, port, allowedPeers, storageSopClasses, transferSyntaxes,
                    maxPduLength, artimTimeout, idleTimeout, maxAssociations,
                    maxConnections < 0 ? maxAssociations + 4 : maxConnections, maxObjectBytes, workDir);
        }
    }
}
