package org.cxr.catalog.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.domain.pipeline.StageHealth;
import org.cxr.events.TopicAccess;
import org.cxr.platform.messaging.KafkaClients;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The pipeline's consumer lag as the broker sees it: for every consumer group of
 * {@code TopicAccess.CATALOG.describesGroups()} (convert, label and the catalog's own), the end
 * offset of each partition of the topics it reads minus the offset the group committed there.
 * Unlike a consumer's own {@code records-lag}, this grows while the consumer is down. Read every
 * {@code cxr.catalog.pipeline.lag-interval} with the channels' Kafka settings (SASL included), kept
 * with a two-hour trend per group, and exported as {@code cxr_pipeline_consumer_lag{group,topic,partition}}.
 */
@ApplicationScoped
public class ConsumerLag {
    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);
    private static final Duration TREND = Duration.ofHours(2);
    /** The window {@link StageHealth} judges a trend over. */
    public static final Duration HEALTH_WINDOW = Duration.ofMinutes(5);

    /** One partition of one group. committed is -1 when the group never committed there. */
    public record PartitionLag(String group, String topic, int partition, long committed, long end, long lag) {
    }

    /** One group: members now (-1 unknown), its total lag, health and trend. */
    public record GroupLag(String group, String state, int members, long lag, StageHealth health,
            List<StageHealth.Sample> trend, List<PartitionLag> partitions) {
    }

    /** What the last reading found (error: why it failed, the groups then keep their trend). */
    public record Snapshot(Instant at, List<GroupLag> groups, String error) {
    }

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    MeterRegistry registry;
    @Inject
    CatalogConfig config;

    private final Map<String, Deque<StageHealth.Sample>> trends = new HashMap<>();
    private volatile Snapshot last = new Snapshot(null, List.of(), "not read yet");
    private ScheduledExecutorService timer;
    private Admin admin;
    private MultiGauge gauge;

    void start(@Observes StartupEvent e) {
        gauge = MultiGauge.builder("cxr.pipeline.consumer.lag")
                .description("records of the topics a consumer group reads that it has not committed yet (from the broker)")
                .register(registry);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, config.pipeline().lagInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    public Snapshot snapshot() {
        return last;
    }

    /** Reads the offsets now (the timer does this every interval). */
    public synchronized Snapshot refresh() {
        Instant now = Instant.now();
        try {
            List<GroupLag> groups = read(now);
            last = new Snapshot(now, groups, null);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (GroupLag g : groups) {
                for (PartitionLag p : g.partitions()) {
                    rows.add(MultiGauge.Row.of(Tags.of("group", p.group(), "topic", p.topic(), "partition",
                            Integer.toString(p.partition())), p.lag()));
                }
            }
            gauge.register(rows, true);
        } catch (Exception ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            LOG.debugf("consumer lag not read: %s", cause.toString());
            List<GroupLag> kept = last.groups().stream().map(g -> new GroupLag(g.group(), "UNKNOWN", -1, g.lag(),
                    StageHealth.UNKNOWN, g.trend(), g.partitions())).toList();
            last = new Snapshot(now, kept, "the broker did not answer: " + cause.getMessage());
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        }
        return last;
    }

    private List<GroupLag> read(Instant now) throws Exception {
        Admin a = admin();
        List<String> groups = TopicAccess.CATALOG.describesGroups();
        Set<String> topics = new TreeSet<>();
        for (String g : groups) {
            topics.addAll(TopicAccess.of(g).orElseThrow().groupTopics());
        }
        Map<String, TopicDescription> described = new HashMap<>();
        for (var t : a.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                described.put(t.getKey(), t.getValue().get(10, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // not created yet (nothing written to it): no lag there
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(latest).all()
                .get(10, TimeUnit.SECONDS);
        Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        var offsets = a.listConsumerGroupOffsets(specs);
        Map<String, ConsumerGroupDescription> descriptions = new HashMap<>();
        for (var d : a.describeConsumerGroups(groups).describedGroups().entrySet()) {
            ConsumerGroupDescription desc = unlessNoGroup(d.getValue());
            if (desc != null) {
                descriptions.put(d.getKey(), desc);
            }
        }
        List<GroupLag> out = new ArrayList<>();
        for (String g : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = unlessNoGroup(offsets.partitionsToOffsetAndMetadata(g));
            if (committed == null) {
                committed = Map.of();
            }
            List<PartitionLag> parts = new ArrayList<>();
            long total = 0;
            for (String topic : TopicAccess.of(g).orElseThrow().groupTopics()) {
                TopicDescription d = described.get(topic);
                if (d == null) {
                    continue;
                }
                for (var p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    long end = ends.get(tp).offset();
                    OffsetAndMetadata c = committed.get(tp);
                    // never committed: everything retained is still to read (auto.offset.reset=earliest)
                    long lag = c == null ? end : Math.max(0, end - c.offset());
                    total += lag;
                    parts.add(new PartitionLag(g, topic, p.partition(), c == null ? -1 : c.offset(), end, lag));
                }
            }
            ConsumerGroupDescription desc = descriptions.get(g);
            int members = desc == null ? 0 : desc.members().size();
            Deque<StageHealth.Sample> trend = trends.computeIfAbsent(g, k -> new ArrayDeque<>());
            trend.addLast(new StageHealth.Sample(now, total));
            while (!trend.isEmpty() && trend.peekFirst().at().isBefore(now.minus(TREND))) {
                trend.removeFirst();
            }
            List<StageHealth.Sample> samples = List.copyOf(trend);
            out.add(new GroupLag(g, desc == null ? "NONE" : desc.groupState().toString(), members, total,
                    StageHealth.of(members, samples, HEALTH_WINDOW), samples, parts));
        }
        return out;
    }

    /** The value, or null when the group does not exist (yet): it never had a member. */
    private static <T> T unlessNoGroup(org.apache.kafka.common.KafkaFuture<T> f) throws Exception {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> c = new HashMap<>(KafkaClients.admin(kafka));
            c.put("default.api.timeout.ms", 10_000);
            c.put("request.timeout.ms", 5_000);
            c.put("client.id", "catalog-consumer-lag");
            admin = Admin.create(c);
        }
        return admin;
    }
}
