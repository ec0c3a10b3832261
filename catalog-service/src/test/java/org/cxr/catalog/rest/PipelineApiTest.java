package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.Api.given;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.CxrEvent;
import org.cxr.events.FailureReason;
import org.cxr.events.ImportProgress;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.PrometheusText;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The pipeline API against the real broker and database: consumer lag read from the broker (a group
 * nobody consumes for — convert-service here — shows every record as lag and is DOWN; the catalog's
 * own group drains), the lag metric, stage rates equal to the facts counted in SQL, and imports
 * from cxr.import-progress (the highest sequence wins; a bad one is a dead letter), and the
 * pipeline's metrics (study latency histogram, dead letters per stage and reason, indexing batches).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class PipelineApiTest {
    @Inject
    AgroalDataSource ds;
    @Inject
    CatalogIndexer indexer;
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void lagIsReadFromTheBrokerForEveryGroup() throws Exception {
        List<InstanceReceived> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String subject = TestEvents.subject(900 + i);
            String study = TestEvents.study(900 + i);
            sent.add(TestEvents.received(subject, study, TestEvents.dicom("lag" + i), Instant.now()));
        }
        KafkaTestClient.produceEvents(Topics.INSTANCE_RECEIVED, sent);
        long records = KafkaTestClient.endOffsets(Topics.INSTANCE_RECEIVED);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath lag = given().get("/pipeline/lag").then().statusCode(200).extract().jsonPath();
            assertThat(lag.getString("error")).isNull();
            assertThat(lag.getList("groups.group")).containsExactly("convert-service", "label-service", "catalog-service");
            // nobody consumes for convert here: everything on its input topic is lag, and it is down
            Map<String, Object> convert = lag.getMap("groups.find { it.group == 'convert-service' }");
            assertThat(((Number) convert.get("members")).intValue()).isZero();
            assertThat(convert.get("health")).isEqualTo("DOWN");
            long perPartition = lag.getList("groups.find { it.group == 'convert-service' }.partitions.findAll {"
                    + " it.topic == 'cxr.instance-received' }.lag", Long.class).stream().mapToLong(Long::longValue).sum();
            assertThat(perPartition).isEqualTo(records);
            // the group's total also counts its other topic (cxr.convert.redrive, written by redrive tests)
            long all = lag.getList("groups.find { it.group == 'convert-service' }.partitions.lag", Long.class).stream()
                    .mapToLong(Long::longValue).sum();
            assertThat(((Number) convert.get("lag")).longValue()).isEqualTo(all).isGreaterThanOrEqualTo(records);
            // the catalog reads the same topic and has indexed everything
            Map<String, Object> catalog = lag.getMap("groups.find { it.group == 'catalog-service' }");
            assertThat(((Number) catalog.get("members")).intValue()).isPositive();
            assertThat(lag.getList("groups.find { it.group == 'catalog-service' }.partitions.findAll {"
                    + " it.topic == 'cxr.instance-received' }.lag", Long.class)).allMatch(l -> l == 0);
        });
        String text = RestAssured.given().get(metrics.toString()).then().statusCode(200).extract().asString();
        assertThat(text).contains("cxr_pipeline_consumer_lag{group=\"convert-service\",partition=\"0\",topic=\"cxr.instance-received\"");
    }

    @Test
    void ratesAreTheFactsCountedPerBucket() throws Exception {
        Instant now = Instant.now();
        List<org.cxr.catalog.domain.indexing.RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(TestEvents.subject(950),
                    TestEvents.study(950), TestEvents.dicom("rate" + i), now.minus(i * 3L, ChronoUnit.MINUTES))));
        }
        indexer.index(events);
        JsonPath r = given().queryParam("window", "1h").get("/pipeline/rates").then().statusCode(200).extract().jsonPath();
        assertThat(r.getLong("stepSeconds")).isEqualTo(60);
        List<String> times = r.getList("times");
        List<Long> received = r.getList("stages.convert.received", Long.class);
        assertThat(times).hasSizeBetween(60, 62).hasSameSizeAs(received);
        for (int k = 0; k < times.size(); k++) {
            Instant t = Instant.parse(times.get(k));
            long expected = CatalogDb.count(ds, "SELECT count(*) FROM image WHERE received_at >= '" + t
                    + "' AND received_at < '" + t.plusSeconds(60) + "'");
            assertThat(received.get(k)).as(times.get(k)).isEqualTo(expected);
        }
        assertThat(received.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(7);
        given().queryParam("window", "2y").get("/pipeline/rates").then().statusCode(400);
    }

    @Test
    void importsKeepTheLatestStateAndABadOneIsADeadLetter() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = "6b1f2c3d-0000-4000-8000-00000000abcd";
        ImportProgress running = new ImportProgress(1, id, "mimic-cxr", "RUNNING", 1, 100, 10, 9, 0, 0, 1, 0, 0,
                Map.of("NOT_DICOM", 1L), 1000, t, t, null);
        ImportProgress done = new ImportProgress(1, id, "mimic-cxr", "DONE", 2, 100, 100, 95, 2, 0, 3, 0, 0,
                Map.of("NOT_DICOM", 2L, "EMPTY_REPORT", 1L), 9000, t, t.plusSeconds(30), t.plusSeconds(30));
        ImportProgress bad = new ImportProgress(1, "bad import/..", "mimic-cxr", "RUNNING", 1, -1, 0, 0, 0, 0, 0, 0, 0,
                Map.of(), 0, t, t, null);
        List<CxrEvent> events = List.of(done, running, bad); // the older state arrives last
        KafkaTestClient.produceEvents(Topics.IMPORT_PROGRESS, events);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath imports = given().get("/pipeline/imports").then().statusCode(200).extract().jsonPath();
            Map<String, Object> row = imports.getMap("find { it.importId == '" + id + "' }");
            assertThat(row).isNotNull();
            assertThat(row.get("state")).isEqualTo("DONE");
            assertThat(row.get("accepted")).isEqualTo(95);
            assertThat(row.get("rejectedByReason")).isEqualTo(Map.of("EMPTY_REPORT", 1, "NOT_DICOM", 2));
            assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE stage = 'catalog'"
                    + " AND reason = 'INVALID_EVENT' AND original_topic = 'cxr.import-progress'")).isEqualTo(1);
        });
    }

    @Test
    void studyLatencyAndDeadLettersAreMetrics() throws Exception {
        String subject = TestEvents.subject(970);
        String study = TestEvents.study(970);
        String dicom = TestEvents.dicom("latency");
        Instant received = Instant.now().minusSeconds(40);
        InstanceReceived image = TestEvents.received(subject, study, dicom, received);
        ReportReceived report = TestEvents.report(subject, study, "report of " + study, 1, received.plusSeconds(1));
        InstanceReceived broken = TestEvents.received(subject, study, TestEvents.dicom("latency-broken"), received);
        double before = metric("cxr_catalog_study_latency_seconds_count");
        double le60Before = metric("cxr_catalog_study_latency_seconds_bucket{le=\"60.0\"}");
        double deadBefore = metric("cxr_dead_letters_total{reason=\"MULTI_FRAME\",stage=\"convert\"}");
        indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, image),
                TestEvents.raw(Topics.REPORT_RECEIVED, report),
                TestEvents.raw(Topics.INSTANCE_RECEIVED, broken),
                TestEvents.raw(Topics.CONVERT_DLQ, TestEvents.convertFailed(broken, FailureReason.MULTI_FRAME))));
        indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, dicom,
                        TestEvents.metadata("PA", "21800101", "080556"), received.plusSeconds(5), "convert-1")),
                TestEvents.raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, "report of " + study,
                        ReportSection.IMPRESSION, "Edema=1", "Edema=1", "label-1", received.plusSeconds(6)))));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE' AND study_id = " + study))
                .isOne();
        // one study became COMPLETE about 40 s after its first event; one dead letter counted once
        assertThat(metric("cxr_catalog_study_latency_seconds_count")).isEqualTo(before + 1);
        assertThat(metric("cxr_catalog_study_latency_seconds_bucket{le=\"60.0\"}")).isEqualTo(le60Before + 1);
        assertThat(metric("cxr_dead_letters_total{reason=\"MULTI_FRAME\",stage=\"convert\"}")).isEqualTo(deadBefore + 1);
        indexer.index(List.of(TestEvents.raw(Topics.CONVERT_DLQ, TestEvents.convertFailed(broken, FailureReason.MULTI_FRAME))));
        assertThat(metric("cxr_dead_letters_total{reason=\"MULTI_FRAME\",stage=\"convert\"}")).as("a repeat is not new")
                .isEqualTo(deadBefore + 1);
        assertThat(metric("cxr_catalog_index_batch_seconds_bucket{le=\"+Inf\"}")).isPositive();
        assertThat(metrics()).contains("agroal_active_count");
    }

    private String metrics() {
        return RestAssured.given().get(metrics.toString()).then().statusCode(200).extract().asString();
    }

    /** A series' value, 0 when it is not there yet. */
    private double metric(String series) {
        return PrometheusText.value(metrics(), series);
    }
}
