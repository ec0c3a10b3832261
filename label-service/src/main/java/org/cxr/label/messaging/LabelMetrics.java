package org.cxr.label.messaging;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.FailureReason;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * label-service's meters, all named {@code cxr_label_*}; created at start-up, so that the duration
 * histogram is scraped (at zero) before the first report.
 */
@Startup
@ApplicationScoped
public class LabelMetrics {
    @Inject
    MeterRegistry registry;

    private Timer reportDuration;

    @PostConstruct
    void init() {
        // a histogram (cxr_label_report_duration_seconds_bucket), so that percentiles can be taken
        // across replicas; from a labelled report (milliseconds) to one whose send waited out an outage
        reportDuration = Timer.builder("cxr_label_report_duration")
                .description("one delivery of a report-received event until its report-labelled event was acknowledged")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }

    Timer.Sample start() {
        return Timer.start(registry);
    }

    void labelled(String section, Timer.Sample delivery) {
        reports("labelled", section, "none").increment();
        delivery.stop(reportDuration);
    }

    void deadLettered(FailureReason reason) {
        reports("dead_letter", "none", reason.name()).increment();
    }

    void retrying(String what) {
        registry.counter("cxr_label_retries", "what", what).increment();
    }

    /** Same tag keys on every series (Prometheus drops a series whose keys differ). */
    private Counter reports(String outcome, String section, String reason) {
        return registry.counter("cxr_label_reports", "outcome", outcome, "section", section, "reason", reason);
    }
}
