package org.cxr.platform.logging;

import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.LoggingFilter;

/**
 * The services' console log filter ({@code quarkus.log.console.filter=kafka-outage}): SmallRye
 * Kafka logs every record a producer could not write during a broker outage at ERROR
 * ({@code SRMSG18206}, {@code SRMSG18212}), although {@code KafkaEvents.sendAndAwait} and
 * {@code OutageRetry} answer 503 and retry. Operators alert on ERROR, so an outage shows as a
 * rate-limited WARN; a real write failure (ACL denied, record too large) stays ERROR. The rule is
 * {@link KafkaOutageLog}; this class only binds it to Quarkus.
 */
@LoggingFilter(name = KafkaOutageLogFilter.NAME)
public final class KafkaOutageLogFilter implements Filter {
    public static final String NAME = "kafka-outage";

    private final KafkaOutageLog rule;

    public KafkaOutageLogFilter(
            @ConfigProperty(name = "cxr.log.kafka-outage.window-seconds", defaultValue = "30") int windowSeconds) {
        this.rule = new KafkaOutageLog(Duration.ofSeconds(windowSeconds), System::nanoTime);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        return rule.isLoggable(record);
    }
}
