package org.cxr.ingest.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.TopicTap;

/** Reads everything ingest announces on the real broker, for assertions on what was (not) announced. */
public final class EventTap {
    /** One record as consumed. */
    public record Event(String topic, String key, String value, Map<String, String> headers) {
    }

    private static EventTap instance;
    private final TopicTap<Event> tap;

    private EventTap(String bootstrap) {
        tap = TopicTap.start(bootstrap, "ingest-test-tap",
                List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED, Topics.IMPORT_PROGRESS), Event::new);
    }

    public static synchronized EventTap get() {
        if (instance == null) {
            instance = new EventTap(LocalInfraTestResource.endpoints().kafkaBootstrap());
        }
        return instance;
    }

    public List<Event> matching(Predicate<Event> p) {
        return tap.matching(p);
    }

    /** The study events (instances and reports received); import progress is kept apart: {@link #importProgress}. */
    public List<Event> all() {
        return matching(e -> !e.topic().equals(Topics.IMPORT_PROGRESS));
    }

    /** The ImportProgress events of one import, in the order the broker gave them. */
    public List<Event> importProgress(String importId) {
        return matching(e -> e.topic().equals(Topics.IMPORT_PROGRESS) && importId.equals(e.key()));
    }

    /** Waits (up to 30 s) until at least {@code n} events match, then a quiet second more (to catch extra ones); returns them. */
    public List<Event> await(Predicate<Event> p, int n) throws InterruptedException {
        return tap.await(p, n, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** Events about one study. */
    public static Predicate<Event> study(String topic, String studyId) {
        return e -> e.topic().equals(topic) && studyId.equals(e.key());
    }
}
