package org.cxr.catalog.rest;

import static org.cxr.catalog.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** POST/GET /releases, file downloads, incremental releases, determinism and bad requests. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ReleaseApiTest {
    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ObjectStore store;

    static Response awaitDone(int id) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                !"RUNNING".equals(given().get("/releases/" + id).jsonPath().getString("status")));
        Response r = given().get("/releases/" + id);
        r.then().statusCode(200).body("status", equalTo("DONE"));
        return r;
    }

    static int start(String body) {
        Response r = given().contentType(ContentType.JSON).body(body).post("/releases");
        r.then().statusCode(202).body("status", equalTo("RUNNING"));
        int id = r.jsonPath().getInt("releaseId");
        assertThat(r.header("Location")).endsWith("/releases/" + id);
        return id;
    }

    static byte[] download(int id, String name) {
        return given().get("/releases/" + id + "/files/" + name).then().statusCode(200).extract().asByteArray();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String gunzip(byte[] gz) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void fullThenIncrementalReleases() throws Exception {
        CatalogDb.reset(ds);
        SmallDataset first = new SmallDataset(50, 3, 500, 500);
        indexer.index(first.events);

        int r1 = start("{\"requestedBy\":\"test\"}");
        Response done = awaitDone(r1);
        long images = CatalogDb.count(ds, "SELECT count(*) FROM image i JOIN study s USING (study_id)"
                + " WHERE s.state = 'COMPLETE' AND i.status = 'CONVERTED'");
        long studies = CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE'");
        long chexpert = CatalogDb.count(ds, "SELECT count(*) FROM study_label l JOIN study s USING (study_id)"
                + " WHERE s.state = 'COMPLETE' AND l.labeler = 'chexpert'");
        done.then().body("images", equalTo((int) images)).body("studies", equalTo((int) studies))
                .body("chexpertRows", equalTo((int) chexpert)).body("highWaterMark", notNullValue())
                .body("requestedBy", equalTo("test-researcher")).body("location", equalTo("s3://cxr-releases/releases/" + r1 + "/"))
                .body("files", hasSize(7)).body("files.name", equalTo(List.of("IMAGE_FILENAMES", "README.md",
                        "SHA256SUMS.txt", "mimic-cxr-2.0.0-chexpert.csv.gz", "mimic-cxr-2.0.0-metadata.csv.gz",
                        "mimic-cxr-2.0.0-negbio.csv.gz", "mimic-cxr-2.0.0-split.csv.gz")));
        assertThat(images).isPositive();
        // every file downloads with the listed checksum
        for (Map<String, Object> f : done.jsonPath().<Map<String, Object>>getList("files")) {
            byte[] b = download(r1, (String) f.get("name"));
            assertThat(sha256(b)).as((String) f.get("name")).isEqualTo(f.get("sha256"));
            assertThat((long) b.length).isEqualTo(((Number) f.get("bytes")).longValue());
        }
        String readme = new String(download(r1, "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("convert-1.0.0").contains("label-1.0.0").contains("| all | " + images + " |");
        assertThat(gunzip(download(r1, "mimic-cxr-2.0.0-metadata.csv.gz")).lines()).hasSize((int) images + 1);

        // a JPG is served from the jpg bucket by its release path
        String[] img = first.convertedImages.get(0);
        String path = ObjectKeys.jpg(img[0], img[1], img[2]);
        if (CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE' AND study_id = " + img[1]) == 1) {
            store.put("cxr-jpg", path, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2}, "image/jpeg", Map.of());
            assertThat(download(r1, path)).containsExactly(0xff, 0xd8, 1, 2);
        }
        given().get("/releases/" + r1 + "/files/files/p10/p10000000/s50000000/" + TestEvents.dicom("nope") + ".jpg")
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/releases/" + r1 + "/files/passwd").then().statusCode(404);
        given().get("/releases/" + r1 + "/files/../../etc/passwd").then().statusCode(404);

        // same content -> the same CSV bytes
        int r2 = start("{}");
        Response same = awaitDone(r2);
        for (String csv : List.of("mimic-cxr-2.0.0-metadata.csv.gz", "mimic-cxr-2.0.0-split.csv.gz",
                "mimic-cxr-2.0.0-chexpert.csv.gz", "mimic-cxr-2.0.0-negbio.csv.gz", "IMAGE_FILENAMES")) {
            assertThat(sha(same, csv)).as(csv).isEqualTo(sha(done, csv));
        }

        // more studies arrive, and a late image for a released study
        SmallDataset second = new SmallDataset(10, 4, 600, 600);
        indexer.index(second.events);
        String releasedStudy = first.convertedImages.get(0)[1];
        String subject = first.convertedImages.get(0)[0];
        String lateDicom = TestEvents.dicom("late-for-release");
        indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, releasedStudy, lateDicom, T0)),
                TestEvents.raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, releasedStudy, lateDicom,
                        TestEvents.metadata("LL", "21800506", "101010"), T0, "convert-1.0.2"))));
        long hwm = same.jsonPath().getLong("highWaterMark");
        int r3 = start("{\"since\":" + r2 + "}");
        Response inc = awaitDone(r3);
        long changedStudies = CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE' AND change_seq > " + hwm);
        long changedImages = CatalogDb.count(ds, "SELECT count(*) FROM image i JOIN study s USING (study_id)"
                + " WHERE s.state = 'COMPLETE' AND i.status = 'CONVERTED' AND s.change_seq > " + hwm);
        inc.then().body("since", equalTo(r2)).body("studies", equalTo((int) changedStudies))
                .body("images", equalTo((int) changedImages));
        String incMeta = gunzip(download(r3, "mimic-cxr-2.0.0-metadata.csv.gz"));
        assertThat(incMeta).contains(lateDicom);
        assertThat(incMeta.lines().filter(l -> l.contains("," + releasedStudy + ",")).count())
                .as("the changed study comes with all its images").isEqualTo(
                        CatalogDb.count(ds, "SELECT count(*) FROM image WHERE status = 'CONVERTED' AND study_id = " + releasedStudy));
        assertThat(new String(download(r3, "README.md"), StandardCharsets.UTF_8)).contains("Incremental release")
                .contains("release " + r2);
        // a release without images serves only the JPGs its IMAGE_FILENAMES lists
        String latePath = ObjectKeys.jpg(subject, releasedStudy, lateDicom);
        store.put("cxr-jpg", latePath, new byte[] {(byte) 0xff, (byte) 0xd8, 3}, "image/jpeg", Map.of());
        assertThat(new String(download(r3, "IMAGE_FILENAMES"), StandardCharsets.UTF_8)).contains(latePath);
        assertThat(new String(download(r2, "IMAGE_FILENAMES"), StandardCharsets.UTF_8)).doesNotContain(latePath);
        assertThat(download(r3, latePath)).containsExactly(0xff, 0xd8, 3);
        given().get("/releases/" + r2 + "/files/" + latePath).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("IMAGE_FILENAMES"));
        // nothing changed since: an empty incremental release still has headers
        int r4 = start("{\"since\":" + r3 + "}");
        awaitDone(r4).then().body("images", equalTo(0)).body("studies", equalTo(0));
        assertThat(gunzip(download(r4, "mimic-cxr-2.0.0-chexpert.csv.gz"))).startsWith("subject_id,study_id,Atelectasis");

        given().get("/releases").then().statusCode(200).body("releaseId", equalTo(List.of(r4, r3, r2, r1)));
    }

    private static String sha(Response release, String name) {
        return release.jsonPath().getString("files.find { it.name == '" + name + "' }.sha256");
    }

    @Test
    void badRequests() {
        given().contentType(ContentType.JSON).body("{\"since\":9999}").post("/releases").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("since"))
                .body("detail", containsString("since names no release")).body("detail", not(containsString("9999")));
        given().contentType(ContentType.JSON).body("{\"since\":0}").post("/releases").then().statusCode(400)
                .body("parameter", equalTo("since"));
        given().contentType(ContentType.JSON).body("{\"since\":\"x\"}").post("/releases").then().statusCode(400)
                .body("parameter", equalTo("body"));
        given().contentType(ContentType.JSON).body("{\"since\":").post("/releases").then().statusCode(400)
                .body("parameter", equalTo("body"));
        given().get("/releases/abc").then().statusCode(400).body("parameter", equalTo("releaseId"));
        given().get("/releases/9999").then().statusCode(404).body("status", equalTo(404));
        given().get("/releases/9999/files/README.md").then().statusCode(404);
    }
}
