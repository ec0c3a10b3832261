package org.cxr.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.TopicAccess;
import org.cxr.events.Topics;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.InfraProcess;
import org.cxr.local.infra.KafkaAccess;
import org.cxr.local.infra.KafkaLogin;
import org.cxr.local.infra.PostgresRoles;
import org.cxr.local.infra.PostgresServer;
import org.cxr.local.infra.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

/**
 * The servers as {@code ./cxr up} runs them: the broker and the S3 server each in its own JVM,
 * PostgreSQL its own process, all under the {@link Supervisor}, with the launcher's generated
 * credentials, Kafka ACLs and database roles. Each server killed with SIGKILL comes back on its port
 * with its data; each service principal and role can do its own work and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisedInfraTest {
    Path dataDir;
    Secrets secrets;
    Supervisor supervisor;
    PostgresServer pg;
    String bootstrap;
    String s3Endpoint;
    int changes;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("cxr-supervised-");
        secrets = new Secrets(dataDir);
        secrets.kafkaAdmin();
        secrets.s3AccessKey();
        secrets.s3SecretKey();
        int kafkaPort = FreePorts.pick(0);
        int s3Port = FreePorts.pick(0);
        bootstrap = "127.0.0.1:" + kafkaPort;
        s3Endpoint = "http://127.0.0.1:" + s3Port;
        pg = new PostgresServer(dataDir, 0, secrets.postgresSuperuser(), dataDir.resolve("logs/postgres.log"));
        supervisor = new Supervisor(() -> changes++);
        supervisor.startAll(List.of(
                new ServerChild("kafka", "512m", List.of("kafka", dataDir.toString(), "" + kafkaPort, "" + FreePorts.pick(0)),
                        dataDir.resolve("logs/kafka.log")),
                ServerChild.postgres(pg),
                new ServerChild("s3", "256m", List.of("s3", dataDir.toString(), "" + s3Port), dataDir.resolve("logs/s3.log"))),
                Duration.ofMinutes(3));
        KafkaAccess.provision(Platform.adminClientConfig(bootstrap, secrets), secrets::kafka);
        PostgresRoles.provision(pg, secrets.postgresSuperuser(),
                Map.of("ingest", secrets.postgres("ingest"), "catalog", secrets.postgres("catalog")));
    }

    @AfterAll
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
        assertThat(supervisor.snapshot().values()).allSatisfy(s -> assertThat(ProcessHandle.of(s.pid())
                .map(ProcessHandle::isAlive).orElse(false)).as("pid " + s.pid()).isFalse());
        InfraProcess.deleteTree(dataDir);
    }

    Map<String, Object> client(KafkaLogin login) {
        Map<String, Object> c = new HashMap<>(login.clientConfig());
        c.put("bootstrap.servers", bootstrap);
        c.put("max.block.ms", 10_000);
        c.put("delivery.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        return c;
    }

    void produce(KafkaLogin login, String topic) throws Exception {
        try (var p = new KafkaProducer<>(client(login), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, "50000001", "{}")).get(20, TimeUnit.SECONDS);
        }
    }

    /** Polls {@code topic} as {@code login} in {@code group} until a record or an error comes. */
    String consume(KafkaLogin login, String group, String topic) {
        Map<String, Object> c = client(login);
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return records.iterator().next().value();
                }
            }
            return null;
        }
    }

    @Test
    @Order(1)
    void eachServicePrincipalWritesOnlyItsOwnTopicsAndReadsOnlyThroughItsOwnGroup() throws Exception {
        KafkaLogin convert = secrets.kafka(TopicAccess.CONVERT.principal());
        produce(convert, Topics.INSTANCE_CONVERTED);
        produce(secrets.kafka(TopicAccess.INGEST.principal()), Topics.INSTANCE_RECEIVED);
        assertThat(consume(convert, "convert-service", Topics.INSTANCE_RECEIVED)).isEqualTo("{}");

        // convert forging ingest's event, or label's
        assertThatThrownBy(() -> produce(convert, Topics.INSTANCE_RECEIVED)).hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> produce(convert, Topics.REPORT_LABELLED)).hasCauseInstanceOf(TopicAuthorizationException.class);
        // reading another stage's input, or through another stage's group
        assertThatThrownBy(() -> consume(convert, "convert-service", Topics.REPORT_RECEIVED))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> consume(convert, "label-service", Topics.INSTANCE_RECEIVED))
                .isInstanceOf(GroupAuthorizationException.class);
        // ingest reads nothing; catalog cannot announce what ingest announces
        assertThatThrownBy(() -> consume(secrets.kafka(TopicAccess.INGEST.principal()), "ingest-service",
                Topics.INSTANCE_RECEIVED)).isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
        assertThatThrownBy(() -> produce(secrets.kafka(TopicAccess.CATALOG.principal()), Topics.REPORT_RECEIVED))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        // a wrong password is refused outright
        assertThatThrownBy(() -> produce(new KafkaLogin(convert.user(), "not-the-password-at-all"), Topics.INSTANCE_CONVERTED))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    @Order(2)
    void eachDatabaseRoleConnectsOnlyToItsOwnDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcBaseUrl() + "/ingest", "cxr_ingest", secrets.postgres("ingest"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE probe (id int)");
            st.execute("INSERT INTO probe VALUES (42)");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcBaseUrl() + "/catalog", "cxr_ingest",
                secrets.postgres("ingest"))).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcBaseUrl() + "/ingest", "cxr_catalog",
                secrets.postgres("catalog"))).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcBaseUrl() + "/postgres", "postgres", "postgres"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        try (Connection c = DriverManager.getConnection(pg.jdbcBaseUrl() + "/catalog", "cxr_catalog", secrets.postgres("catalog"));
             ResultSet rs = c.createStatement().executeQuery("SELECT current_user, current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "@" + rs.getString(2)).isEqualTo("cxr_catalog@catalog");
        }
    }

    @Test
    @Order(3)
    void eachServerKilledWithSigkillComesBackOnItsPortWithItsData() throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(s3Endpoint).credentials(secrets.s3AccessKey(), secrets.s3SecretKey())
                .build();
        s3.makeBucket(MakeBucketArgs.builder().bucket("cxr-probe").build());
        byte[] body = "kept".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket("cxr-probe").object("k").data(body, body.length).build());
        KafkaLogin catalog = secrets.kafka(TopicAccess.CATALOG.principal());
        String marker = UUID.randomUUID().toString();
        try (var p = new KafkaProducer<>(client(catalog), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(Topics.STUDY_INDEXED, "50000002", marker)).get(20, TimeUnit.SECONDS);
        }

        Map<String, Long> killed = new LinkedHashMap<>();
        for (String name : List.of("kafka", "postgres", "s3")) {
            long pid = supervisor.snapshot().get(name).pid();
            killed.put(name, pid);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            awaitRestarted(name, pid);
        }
        assertThat(supervisor.snapshot()).allSatisfy((name, s) -> {
            assertThat(s.phase()).isEqualTo("up");
            assertThat(s.restarts()).as(name).isEqualTo(1);
            assertThat(s.lastExit()).as(name).startsWith("exit 137");
            assertThat(s.pid()).isNotEqualTo(killed.get(name));
        });
        // same ports, same data
        try (var in = s3.getObject(GetObjectArgs.builder().bucket("cxr-probe").object("k").build())) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcBaseUrl() + "/ingest", "cxr_ingest", secrets.postgres("ingest"));
             ResultSet rs = c.createStatement().executeQuery("SELECT id FROM probe")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        Map<String, Object> c = client(secrets.kafkaAdmin());
        c.put("group.id", "probe-" + marker);
        c.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.STUDY_INDEXED));
            boolean found = false;
            long deadline = System.currentTimeMillis() + 60_000;
            while (!found && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    found |= marker.equals(r.value());
                }
            }
            assertThat(found).as("the record written before the broker was killed").isTrue();
        }
        assertThat(changes).isGreaterThan(6);
    }

    private void awaitRestarted(String name, long oldPid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Supervisor.Snapshot s = supervisor.snapshot().get(name);
            if (s.pid() != oldPid && "up".equals(s.phase())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " was not restarted: " + supervisor.snapshot().get(name));
    }

}
