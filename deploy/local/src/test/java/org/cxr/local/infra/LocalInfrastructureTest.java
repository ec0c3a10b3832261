package org.cxr.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;

/** The infra JVM really serves Kafka, PostgreSQL and S3 to ordinary clients. */
class LocalInfrastructureTest {
    static InfraProcess infra;

    @BeforeAll
    static void start() {
        infra = InfraProcess.startTemporary();
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @Test
    void kafkaProducesAndConsumes() throws Exception {
        String bootstrap = infra.endpoints().kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
        }
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("infra-test", "50000001", "hello")).get(30, TimeUnit.SECONDS);
        }
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("group.id", "infra-test");
        cp.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<String, String>(cp, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("infra-test"));
            long deadline = System.currentTimeMillis() + 30_000;
            String got = null;
            while (got == null && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> recs = consumer.poll(java.time.Duration.ofMillis(500));
                for (var r : recs) {
                    got = r.key() + "=" + r.value();
                }
            }
            assertThat(got).isEqualTo("50000001=hello");
        }
    }

    @Test
    void postgresHasTheServiceDatabases() throws Exception {
        Endpoints e = infra.endpoints();
        for (String db : LocalInfrastructure.DATABASES) {
            try (Connection c = DriverManager.getConnection(e.jdbcUrl(db), e.dbUser(), e.dbPassword());
                 ResultSet rs = c.createStatement().executeQuery("select current_database(), version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(db);
                assertThat(rs.getString(2)).startsWith("PostgreSQL");
            }
        }
    }

    @Test
    void s3ServesTheMinioClient() throws Exception {
        Endpoints e = infra.endpoints();
        MinioClient minio = MinioClient.builder().endpoint(e.s3Endpoint())
                .credentials(e.s3AccessKey(), e.s3SecretKey()).build();
        minio.makeBucket(MakeBucketArgs.builder().bucket("cxr-test").build());
        assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket("cxr-test").build())).isTrue();
        byte[] body = "chest".getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket("cxr-test").object("files/p10/p10000001/s50000001.txt")
                .data(body, body.length).contentType("text/plain").build());
        assertThat(minio.statObject(StatObjectArgs.builder().bucket("cxr-test")
                .object("files/p10/p10000001/s50000001.txt").build()).size()).isEqualTo(5L);
        try (var in = minio.getObject(GetObjectArgs.builder().bucket("cxr-test")
                .object("files/p10/p10000001/s50000001.txt").build())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("chest");
        }
        int n = 0;
        for (var r : minio.listObjects(ListObjectsArgs.builder().bucket("cxr-test").prefix("files/").recursive(true).build())) {
            assertThat(r.get().objectName()).isEqualTo("files/p10/p10000001/s50000001.txt");
            n++;
        }
        assertThat(n).isEqualTo(1);
    }
}
