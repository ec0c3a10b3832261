package org.cxr.local.launcher;

import java.time.Duration;

/** A process the launcher starts and keeps running ({@link Supervisor}): a server or a service. */
interface Child {
    /** Its name in {@code platform.json} and {@code ./cxr status}: kafka, postgres, s3, ingest, ... */
    String name();

    /** Starts the OS process (same ports and data each time). */
    Process launch();

    /** Returns once it serves; throws when it exits first or does not within {@code timeout}. */
    void awaitReady(Process process, Duration timeout);

    /** Stops it gracefully, forcibly after a grace period. */
    void stop(Process process);
}
