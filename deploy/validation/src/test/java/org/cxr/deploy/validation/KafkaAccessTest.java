package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.cxr.events.TopicAccess;
import org.cxr.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The Kafka set-up of compose and Kubernetes (deploy/compose/kafka: topics.tsv, principals.tsv,
 * applied by init-kafka.sh) against the event contract (org.cxr.events.Topics, TopicAccess) and
 * against what the services actually subscribe to and produce (their application.properties), and
 * the KEDA autoscalers against the partitions.
 */
class KafkaAccessTest {
    static final List<String> OVERLAYS = Manifests.OVERLAYS;
    private static final Map<String, Tables.Principal> PRINCIPALS = Tables.principals();

    @Test
    void everyTopicOfTheContractIsCreatedAndNothingElse() {
        Set<String> contract = new TreeSet<>(Topics.ALL);
        contract.addAll(Topics.COMPACTED);
        assertThat(Tables.partitions().keySet()).containsExactlyInAnyOrderElementsOf(contract);
        for (String compacted : Topics.COMPACTED) {
            assertThat(Repo.read("deploy/compose/kafka/topics.tsv").lines().filter(l -> l.startsWith(compacted + " ")))
                    .singleElement().asString().contains("cleanup.policy=compact");
        }
    }

    @Test
    void eachServiceGetsExactlyTheRightsOfTheContract() {
        Set<String> services = new TreeSet<>();
        for (TopicAccess a : TopicAccess.ALL) {
            Tables.Principal p = PRINCIPALS.get(a.principal());
            assertThat(p).as(a.principal() + " in principals.tsv").isNotNull();
            assertThat(p.group()).as(a.principal() + " group").isEqualTo(a.consumes() ? a.group() : null);
            assertThat(p.reads()).as(a.principal() + " reads").containsExactlyInAnyOrderElementsOf(a.reads());
            assertThat(p.writes()).as(a.principal() + " writes").containsExactlyInAnyOrderElementsOf(a.writes());
            assertThat(p.describeGroups()).as(a.principal() + " describes").containsExactlyInAnyOrderElementsOf(a.describesGroups());
            assertThat(p.describeTopics()).as(a.principal() + " describes topics").isEmpty();
            services.add(a.principal());
        }
        Set<String> others = new TreeSet<>(PRINCIPALS.keySet());
        others.removeAll(services);
        assertThat(others).as("principals besides the services").containsExactly("keda");
    }

    /** KEDA only looks at offsets: the groups it scales on and their topics, no record, no write. */
    @Test
    void kedaMayOnlyDescribeTheGroupsItScalesOn() {
        Tables.Principal keda = PRINCIPALS.get("keda");
        assertThat(keda.group()).isNull();
        assertThat(keda.reads()).isEmpty();
        assertThat(keda.writes()).isEmpty();
        Set<String> groups = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        for (Keda.ScaledObject so : Rendered.all("production", Keda.ScaledObject.class)) {
            String group = so.spec().triggers().get(0).metadata().get("consumerGroup");
            groups.add(group);
            topics.addAll(TopicAccess.of(group).orElseThrow().groupTopics());
        }
        assertThat(keda.describeGroups()).containsExactlyInAnyOrderElementsOf(groups);
        assertThat(keda.describeTopics()).containsExactlyInAnyOrderElementsOf(topics);
    }

    /** One writer per topic (a forged event can only come from the service that owns the topic). */
    @Test
    void everyTopicHasOneWriter() {
        Map<String, List<String>> writers = new TreeMap<>();
        PRINCIPALS.values().forEach(p -> p.writes().forEach(t -> writers.computeIfAbsent(t, k -> new ArrayList<>()).add(p.name())));
        writers.forEach((topic, who) -> assertThat(who).as(topic + " writers").hasSize(1));
    }

    /** What each service's channels subscribe to and produce is within its grants (else: denied at run time). */
    @Test
    void theServicesChannelsUseOnlyGrantedTopicsAndTheirOwnGroup() {
        for (PlatformService svc : PlatformService.ALL) {
            Properties props = applicationProperties(svc);
            Tables.Principal p = PRINCIPALS.get(svc.name());
            Set<String> incoming = new TreeSet<>();
            Set<String> outgoing = new TreeSet<>();
            for (String key : props.stringPropertyNames()) {
                String value = props.getProperty(key).strip();
                if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topics?")) {
                    incoming.addAll(List.of(value.split("\\s*,\\s*")));
                } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id")) {
                    assertThat(value).as(svc.name() + " " + key).isEqualTo(p.group());
                } else if (key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")) {
                    outgoing.add(value);
                }
            }
            assertThat(p.reads()).as(svc.name() + " may read what it subscribes to").containsAll(incoming);
            assertThat(p.writes()).as(svc.name() + " may write what it produces to").containsAll(outgoing);
        }
    }

    /**
     * A consumer beyond the partition count of its topic gets no partition and idles: each
     * ScaledObject stops at the partitions of its trigger's topic, or of every topic of its group.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kedaScalesEachStageOnItsOwnLagUpToThePartitions(String overlay) {
        Map<String, Integer> partitions = Tables.partitions();
        Set<String> scaled = new TreeSet<>();
        String bootstrap = Rendered.configMap(overlay, "cxr-config").getData().get("KAFKA_BOOTSTRAP_SERVERS");
        Set<String> authentications = new TreeSet<>();
        Rendered.all(overlay, Keda.TriggerAuthentication.class).forEach(ta -> {
            authentications.add(ta.getMetadata().getName());
            ta.spec().secretTargetRef().forEach(r -> assertThat(Keda.KAFKA_AUTH_PARAMETERS).contains(r.parameter()));
        });
        for (Keda.ScaledObject so : Rendered.all(overlay, Keda.ScaledObject.class)) {
            String name = so.getMetadata().getName();
            Deployment target = Rendered.named(overlay, Deployment.class, so.spec().scaleTargetRef().name());
            assertThat(target.getSpec().getReplicas()).as(name + ": replicas belong to KEDA").isNull();
            TopicAccess access = TopicAccess.of(Rendered.serviceOf(target)).orElseThrow();
            assertThat(so.spec().minReplicaCount()).as(name + " min").isPositive();
            assertThat(so.spec().maxReplicaCount()).as(name + " max").isGreaterThanOrEqualTo(so.spec().minReplicaCount());
            assertThat(so.spec().triggers()).as(name + " triggers").isNotEmpty();
            for (Keda.Trigger t : so.spec().triggers()) {
                assertThat(t.type()).isEqualTo("kafka");
                assertThat(Keda.KAFKA_METADATA).as(name + " trigger metadata").containsAll(t.metadata().keySet());
                assertThat(t.metadata().get("consumerGroup")).as(name + " group").isEqualTo(access.group());
                assertThat(t.metadata().get("bootstrapServers")).as(name + " brokers").isEqualTo(bootstrap);
                assertThat(t.authenticationRef().name()).isIn(authentications);
                String topic = t.metadata().get("topic");
                List<String> topics = topic == null ? access.groupTopics() : List.of(topic);
                assertThat(access.groupTopics()).as(name + " scales on its own input").containsAll(topics);
                for (String each : topics) {
                    assertThat(so.spec().maxReplicaCount()).as(name + " max ≤ partitions of " + each)
                            .isLessThanOrEqualTo(partitions.get(each));
                }
            }
            scaled.add(access.principal());
        }
        assertThat(scaled).containsExactlyInAnyOrder("convert-service", "label-service", "catalog-service");
    }

    private static Properties applicationProperties(PlatformService svc) {
        Properties props = new Properties();
        try (var in = java.nio.file.Files.newBufferedReader(Repo.path(svc.name() + "/src/main/resources/application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
