package org.cxr.ingest.hl7;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.ingest.hl7.*} (env {@code CXR_INGEST_HL7_...}): the RIS report feed. docs/hospital-integration.md. */
@ConfigMapping(prefix = "cxr.ingest.hl7")
public interface Hl7Config {
    /** MLLP port (env {@code CXR_INGEST_HL7_PORT}); the listener is off when unset. 0 picks a free port. */
    OptionalInt port();

    /** Address to listen on (all when unset). */
    Optional<String> bindAddress();

    /**
     * Who may send: {@code [SOURCE=]APPLICATION[^FACILITY][@ADDRESS[/PREFIX][|...]]}, comma-separated,
     * matched against MSH-3.1 and MSH-4.1 (env {@code CXR_INGEST_HL7_ALLOWED_SENDERS}). Nobody when unset.
     */
    Optional<List<String>> allowedSenders();

    /** Where the accession number is: {@code OBR-3} (filler order number) or {@code OBR-18} (placer field 1), ... */
    @WithDefault("OBR-3")
    String accessionField();

    /**
     * The issuer to pair with PID-3 identifiers when they are compared with the DICOM patient (as
     * IssuerOfPatientID); unset: each identifier's assigning authority (CX-4), and none.
     */
    Optional<String> issuerOfPatientId();

    /** MSH-11 processing ids accepted (P production; T training and D debugging are refused with AR). */
    @WithDefault("P")
    Set<String> processingIds();

    /** Character set of messages without MSH-18. */
    @WithDefault("UTF-8")
    String defaultCharset();

    @WithDefault("2097152")
    int maxMessageBytes();

    @WithDefault("8")
    int maxConnections();

    /** A connection with no message for this long is closed (RIS feeds reconnect). */
    @WithDefault("1h")
    Duration idleTimeout();

    /** A message must arrive whole within this once it started. */
    @WithDefault("30s")
    Duration messageTimeout();

    /** How long a report matched by accession number waits for its study's images (HL7 and REST). */
    @WithDefault("24h")
    Duration reportWait();

    /** How often waiting reports are matched again (property read by the scheduler: {@code cxr.ingest.hl7.resolve-interval}). */
    @WithDefault("2s")
    Duration resolveInterval();
}
