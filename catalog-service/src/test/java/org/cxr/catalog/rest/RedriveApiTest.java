package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.Api.given;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.cxr.catalog.cli.RedriveCommand;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.DeadLetter;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Dead letters and their redrive against the real broker and database (issue 16 item 2): a
 * convert dead letter with its attempts and history is listed and counted; a redrive sends the
 * original event once to cxr.convert.redrive with its ce_id and header cxr-attempts, and neither
 * the same request again nor another request sends it twice until it fails again; a catalog dead
 * letter is indexed again in place; {@code ./cxr redrive} (RedriveCommand) drives the same call.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class RedriveApiTest {
    @Inject
    AgroalDataSource ds;
    @Inject
    CatalogIndexer indexer;
    @TestHTTPResource("/")
    URL base;

    @Test
    void aConvertDeadLetterIsListedCountedAndRedrivenOnce() throws Exception {
        String subject = TestEvents.subject(980);
        String study = TestEvents.study(980);
        InstanceReceived image = TestEvents.received(subject, study, TestEvents.dicom("redrive"), Instant.now());
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DeadLetter dead = TestEvents.convertFailed(image, FailureReason.INTERNAL_ERROR).withAttempts(3, List.of(
                new DeliveryAttempt(1, t, "host/1", DeliveryAttempt.FAILED, "boom"),
                new DeliveryAttempt(2, t, "host/1", DeliveryAttempt.FAILED, "boom"),
                new DeliveryAttempt(3, t, "host/2", DeliveryAttempt.PROCESS_ENDED, null)));
        indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, image), TestEvents.raw(Topics.CONVERT_DLQ, dead)));

        JsonPath list = given().queryParam("stage", "convert").queryParam("reason", "INTERNAL_ERROR").get("/dead-letters")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> item = list.getMap("items.find { it.eventId == '" + dead.eventId() + "' }");
        assertThat(item).containsEntry("attempts", 3).containsEntry("dicomId", image.dicomId())
                .containsEntry("originalEventId", image.eventId()).containsEntry("redrivenBy", null);
        assertThat((String) item.get("history")).contains("process-ended");
        JsonPath counts = given().get("/dead-letters/counts").then().statusCode(200).extract().jsonPath();
        assertThat(counts.getLong("series.find { it.stage == 'convert' && it.reason == 'INTERNAL_ERROR' }.total"))
                .isGreaterThanOrEqualTo(1);

        // a dry run sends and records nothing
        redrive(Map.of("eventIds", List.of(dead.eventId()), "dryRun", true)).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(1));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM redrive WHERE event_id = '" + dead.eventId() + "'")).isZero();

        // one click, the same click again, another operator's click: one record
        redrive(Map.of("eventIds", List.of(dead.eventId()), "requestId", "click-1")).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(1)).body("byStage.convert", org.hamcrest.Matchers.equalTo(1));
        redrive(Map.of("eventIds", List.of(dead.eventId()), "requestId", "click-1")).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(0)).body("alreadyRedriven", org.hamcrest.Matchers.equalTo(1));
        redrive(Map.of("stage", "convert", "reason", "INTERNAL_ERROR", "requestId", "click-2")).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(0));
        List<KafkaTestClient.Received> sent = KafkaTestClient.readUntil(Topics.CONVERT_REDRIVE,
                l -> l.stream().anyMatch(r -> image.eventId().equals(KafkaTestClient.header(r, EventHeaders.ID))),
                Duration.ofSeconds(30));
        Thread.sleep(1500); // a second copy would have been sent with the first
        sent = KafkaTestClient.readUntil(Topics.CONVERT_REDRIVE, l -> false, Duration.ofSeconds(2)).stream()
                .filter(r -> image.eventId().equals(KafkaTestClient.header(r, EventHeaders.ID))).toList();
        assertThat(sent).hasSize(1);
        KafkaTestClient.Received r = sent.get(0);
        assertThat(r.key()).isEqualTo(study);
        assertThat(KafkaTestClient.header(r, EventHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(KafkaTestClient.header(r, EventHeaders.TYPE)).isEqualTo(image.eventType());
        assertThat(EventJson.read(r.value(), InstanceReceived.class)).isEqualTo(image);
        given().queryParam("stage", "convert").get("/dead-letters").then().statusCode(200)
                .body("items.find { it.eventId == '" + dead.eventId() + "' }.redrivenBy",
                        org.hamcrest.Matchers.equalTo("test-researcher"));

        // it fails again: it can be redriven again
        DeadLetter again = new DeadLetter(1, "convert", FailureReason.INTERNAL_ERROR, "still broken", subject, study,
                image.dicomId(), Topics.INSTANCE_RECEIVED, image.eventId(), image.eventType(), EventJson.tree(image),
                Instant.now().plusSeconds(1), 4, List.of());
        indexer.index(List.of(TestEvents.raw(Topics.CONVERT_DLQ, again)));
        given().queryParam("stage", "convert").get("/dead-letters").then().statusCode(200)
                .body("items.find { it.eventId == '" + dead.eventId() + "' }.attempts", org.hamcrest.Matchers.equalTo(4))
                .body("items.find { it.eventId == '" + dead.eventId() + "' }.redrivenBy", org.hamcrest.Matchers.nullValue());
        redrive(Map.of("eventIds", List.of(dead.eventId()), "requestId", "click-3")).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void aCatalogDeadLetterIsIndexedAgainInPlace() throws Exception {
        String subject = TestEvents.subject(981);
        String study = TestEvents.study(981);
        InstanceReceived image = TestEvents.received(subject, study, TestEvents.dicom("in-place"), Instant.now());
        // what the catalog records when a record broke its batch (a database error at the time)
        DeadLetter d = new DeadLetter(1, "catalog", FailureReason.INTERNAL_ERROR, "deadlock detected", subject, study,
                image.dicomId(), Topics.INSTANCE_RECEIVED, image.eventId(), image.eventType(), EventJson.tree(image),
                Instant.now());
        try (var c = ds.getConnection(); var ps = c.prepareStatement("INSERT INTO dead_letter (event_id, topic, stage,"
                + " reason, message, subject_id, study_id, dicom_id, original_topic, original_event_id, payload, failed_at,"
                + " recorded_at) VALUES (?, 'cxr.catalog.dlq', 'catalog', 'INTERNAL_ERROR', 'deadlock detected', ?, ?, ?,"
                + " ?, ?, ?, now(), now())")) {
            ps.setString(1, d.eventId());
            ps.setInt(2, Integer.parseInt(subject));
            ps.setInt(3, Integer.parseInt(study));
            ps.setString(4, image.dicomId());
            ps.setString(5, Topics.INSTANCE_RECEIVED);
            ps.setString(6, image.eventId());
            ps.setString(7, EventJson.write(d));
            ps.executeUpdate();
        }
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM image WHERE dicom_id = '" + image.dicomId() + "'")).isZero();
        redrive(Map.of("stage", "catalog", "reason", "INTERNAL_ERROR")).then().statusCode(200)
                .body("byStage.catalog", org.hamcrest.Matchers.equalTo(1));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM image WHERE dicom_id = '" + image.dicomId() + "'")).isOne();
        redrive(Map.of("stage", "catalog", "reason", "INTERNAL_ERROR")).then().statusCode(200)
                .body("redriven", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void theCommandLineRedrivesAStageAndRefusesNonsense() {
        String url = base.toString();
        String operator = TestTokens.tokenFor("cli-operator", "operator");
        assertThat(RedriveCommand.run("label", "--dry-run", "--catalog-url", url, "--token", operator)).isZero();
        assertThat(RedriveCommand.run("label", "--reason", "EMPTY_REPORT", "--catalog-url", url, "--token", operator))
                .isZero();
        assertThat(RedriveCommand.run("ingest", "--catalog-url", url, "--token", operator)).isEqualTo(1);
        assertThat(RedriveCommand.run("label", "--catalog-url", url, "--token",
                TestTokens.tokenFor("cli-researcher", "researcher"))).isEqualTo(1);
        redrive(Map.of()).then().statusCode(400).body("parameter", org.hamcrest.Matchers.equalTo("stage"));
        redrive(Map.of("stage", "convert", "reason", "NOT_A_REASON")).then().statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("reason"));
    }

    private static io.restassured.response.Response redrive(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/dead-letters/redrive");
    }
}
