package org.cxr.platform.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Asks the broker itself whether the service can work with it, for a service's readiness check
 * ("kafka-broker"): the broker answers, accepts the service's credentials, and lets it read and
 * write the topics its channels use. SmallRye's channel checks do not tell it: a consumer whose
 * broker was down from the start reports "no connection was ever attempted" as UP, a producer is
 * DOWN until its first send, and a send the ACLs deny is only seen when an event is due.
 * {@link BrokerReadiness} is the services' check; the admin client is made on first use, from the
 * same {@code kafka.*} settings as the channels ({@link KafkaClients}).
 */
public final class BrokerProbe implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BrokerProbe.class);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    /** Something the service must be allowed to do on a topic (READ or WRITE). */
    public record Need(String topic, AclOperation operation) {
    }

    private final Map<String, Object> config;
    private final List<Need> needs;
    private final String bootstrap;
    private Admin admin;
    private volatile String reportedDenial = "";

    /** Only whether the broker answers (an unsecured broker, no topic rights checked). */
    public BrokerProbe(String bootstrap) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), List.of());
    }

    /**
     * @param kafka the channels' Kafka settings (bootstrap servers, security protocol, SASL, TLS)
     * @param needs what the service's channels do on which topic
     */
    public BrokerProbe(Map<String, ?> kafka, List<Need> needs) {
        Map<String, Object> c = new HashMap<>(KafkaClients.admin(kafka));
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        this.config = c;
        this.needs = List.copyOf(needs);
        this.bootstrap = String.valueOf(c.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        return admin;
    }

    /**
     * UP with the number of brokers when the cluster answers within 3 s and allows every need;
     * DOWN with the error (unreachable, authentication failed) or with {@code denied}: what the
     * broker's ACLs refuse this service (also logged, once per change).
     */
    public HealthCheckResponse check() {
        var r = HealthCheckResponse.named("kafka-broker").withData("bootstrap", bootstrap);
        try {
            int nodes = admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            if (nodes == 0) {
                return r.down().build();
            }
            List<String> denied = denials();
            report(denied);
            return denied.isEmpty() ? r.up().withData("nodes", nodes).build()
                    : r.down().withData("denied", String.join(", ", denied)).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AuthenticationException) {
                report(List.of("authentication as " + principal() + ": " + cause.getMessage()));
            }
            return r.down().withData("error", String.valueOf(cause.getMessage())).build();
        }
    }

    /** The needs the broker refuses, e.g. {@code WRITE cxr.instance-received}; empty without an authorizer. */
    List<String> denials() throws InterruptedException, java.util.concurrent.TimeoutException {
        if (needs.isEmpty()) {
            return List.of();
        }
        Map<String, List<AclOperation>> byTopic = new LinkedHashMap<>();
        needs.forEach(n -> byTopic.computeIfAbsent(n.topic(), t -> new ArrayList<>()).add(n.operation()));
        Map<String, KafkaFuture<TopicDescription>> described = admin().describeTopics(byTopic.keySet(),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        List<String> denied = new ArrayList<>();
        for (Map.Entry<String, List<AclOperation>> t : byTopic.entrySet()) {
            try {
                Set<AclOperation> allowed = described.get(t.getKey()).get(3, TimeUnit.SECONDS).authorizedOperations();
                if (allowed == null || allowed.contains(AclOperation.ALL)) {
                    continue; // no authorizer on the broker, or every right
                }
                t.getValue().stream().filter(op -> !allowed.contains(op)).forEach(op -> denied.add(op + " " + t.getKey()));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException) {
                    t.getValue().forEach(op -> denied.add(op + " " + t.getKey()));
                } else if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(e.getCause()); // a topic not created yet is no denial
                }
            }
        }
        return denied;
    }

    private void report(List<String> denied) {
        String now = String.join(", ", denied);
        if (!now.equals(reportedDenial)) {
            reportedDenial = now;
            if (denied.isEmpty()) {
                LOG.infof("the broker allows principal %s what its channels need", principal());
            } else {
                LOG.errorf("the broker denies principal %s: %s (its ACLs or credentials do not match this service;"
                        + " events cannot flow until they do)", principal(), now);
            }
        }
    }

    /** The SASL user name this service authenticates as, for messages. */
    String principal() {
        Object jaas = config.get("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = JAAS_USER.matcher(jaas.toString());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "ANONYMOUS";
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
