package org.cxr.local.launcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.cxr.events.TopicAccess;
import org.cxr.events.Topics;

/**
 * Counts what each stage has announced (the end offsets of its topic) and how far each consumer
 * group lags behind. Reading offsets is cheap and needs nothing from the services themselves.
 */
public final class StageCounters implements AutoCloseable {
    /** Consumer groups of the services and the topics they read through them. */
    public static final Map<String, List<String>> GROUPS = TopicAccess.ALL.stream().filter(TopicAccess::consumes)
            .collect(Collectors.toMap(TopicAccess::group, TopicAccess::groupTopics));

    private final Admin admin;

    /** @param client admin client settings (bootstrap servers and, for the secured broker, the super user's login) */
    public StageCounters(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        this.admin = Admin.create(c);
    }

    /** The end offset of every partition of our topics that exist. */
    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (var d : admin.describeTopics(Topics.ALL.stream().filter(existing::contains).toList())
                .allTopicNames().get(5, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> specs.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!specs.isEmpty()) {
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(specs).all().get(5, TimeUnit.SECONDS).entrySet()) {
                ends.put(e.getKey(), e.getValue().offset());
            }
        }
        return ends;
    }

    /** Records per topic (0 for topics that do not exist yet). */
    public Map<String, Long> topicCounts() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        Topics.ALL.forEach(t -> counts.put(t, 0L));
        endOffsets().forEach((tp, end) -> counts.merge(tp.topic(), end, Long::sum));
        return counts;
    }

    /** Records not yet consumed, per consumer group, over every partition of the topics it reads. */
    public Map<String, Long> lag() throws Exception {
        Map<TopicPartition, Long> ends = endOffsets();
        Map<String, Long> lag = new HashMap<>();
        for (Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.getKey())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            long total = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                if (g.getValue().contains(e.getKey().topic())) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    total += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
                }
            }
            lag.put(g.getKey(), total);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
