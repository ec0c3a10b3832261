package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** What the catch-all mapper answers, and that it never repeats an exception's message. */
class ErrorMapperTest {
    @Test
    void aCommitThatFailsIsAnOutageNotAnError() {
        // as Arc wraps it when PostgreSQL dies at the commit (FaultInjectionIT, kill -9 postgres)
        Response r = new ErrorMapper().unexpected(new RuntimeException("Error invoking subclass method",
                new RollbackException("ARJUNA016053: Could not commit transaction.")));
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo(UnavailableMapper.RETRY_AFTER_SECONDS);
    }

    @Test
    void anythingElseIs500WithAnErrorIdAndNoMessage() {
        Response r = new ErrorMapper().unexpected(new IllegalStateException("patient MRN-4471123 Quackenbush"));
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(String.valueOf(r.getEntity())).contains("errorId").doesNotContain("MRN-4471123")
                .doesNotContain("Quackenbush");
        assertThat(ErrorMapper.describe(new IllegalStateException("MRN-4471123", new IllegalArgumentException("Quackenbush"))))
                .startsWith("java.lang.IllegalStateException at org.cxr.ingest.rest.ErrorMapperTest.")
                .contains(" caused by java.lang.IllegalArgumentException at org.cxr.ingest.rest.ErrorMapperTest.")
                .doesNotContain("MRN-4471123").doesNotContain("Quackenbush");
    }
}
