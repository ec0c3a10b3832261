package org.cxr.platform.logging;

import org.jboss.logging.MDC;

/**
 * Puts the study (and instance) being processed into the logging context, so every log line
 * (JSON in production) carries {@code studyId}/{@code dicomId}. Never put original patient
 * identifiers here: only research ids.
 */
public final class StudyLog implements AutoCloseable {
    private StudyLog() {
    }

    public static StudyLog of(String studyId, String dicomId) {
        if (studyId != null) {
            MDC.put("studyId", studyId);
        }
        if (dicomId != null) {
            MDC.put("dicomId", dicomId);
        }
        return new StudyLog();
    }

    @Override
    public void close() {
        MDC.remove("studyId");
        MDC.remove("dicomId");
    }
}
