package org.cxr.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

import javax.imageio.ImageIO;

import org.cxr.events.Buckets;
import org.cxr.events.ObjectKeys;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.upload.IngestUploader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The whole platform as it is shipped, on the run's shared platform ({@link SharedPlatform}:
 * {@code ./cxr up} started a real Kafka broker, PostgreSQL and an S3 server, each its own supervised
 * process, and the four packaged services, all secured): studies go in through ingest's REST API with
 * an uploader token; we check what the catalog returns (researcher token), what lies in the buckets,
 * and the release ({@code ./cxr release}, which takes its token from the data directory).
 */
@Order(100)
@ExtendWith(SharedPlatform.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {
    static final int STUDIES = 200;

    SharedPlatform platform;
    String ingest;
    String catalog;
    MinioClient s3;
    final List<GeneratedStudy> fed = new ArrayList<>();
    final List<String> fedStudyIds = new ArrayList<>();
    int failedInstances;
    int studiesWithoutImages;

    @BeforeAll
    void on(SharedPlatform shared) {
        platform = shared;
        ingest = platform.url("ingest");
        catalog = platform.url("catalog");
        s3 = platform.s3();
    }

    /** A request to ingest as an uploader that is also a researcher (an uploader alone is answered receipts, not research ids). */
    private RequestSpecification upload() {
        return given().baseUri(ingest).auth().oauth2(platform.token("uploader", "researcher"));
    }

    /** A request to the catalog as a researcher. */
    private RequestSpecification research() {
        return given().baseUri(catalog).auth().oauth2(platform.token("researcher"));
    }

    @Test
    @Order(1)
    void oneStudyFlowsFromIngestToCatalogAndBucket() throws Exception {
        GeneratedStudy study = new StudyGenerator(7, small(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE)))
                .iterator().next();
        GeneratedInstance instance = study.instances().get(0);
        JsonPath accepted = upload().contentType("application/dicom").body(instance.bytes())
                .when().post("/studies/instances")
                .then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"))
                .extract().jsonPath();
        String subjectId = accepted.getString("results[0].subjectId");
        String studyId = accepted.getString("results[0].studyId");
        String dicomId = accepted.getString("results[0].dicomId");
        for (GeneratedInstance other : study.instances().subList(1, study.instances().size())) {
            upload().contentType("application/dicom").body(other.bytes())
                    .post("/studies/instances").then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"));
        }
        upload().contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .header("X-Patient-ID", study.patient().patientId()).header("X-Issuer-Of-Patient-ID", study.patient().issuerOfPatientId())
                .put("/studies/{uid}/report", study.studyInstanceUid())
                .then().statusCode(200).body("status", equalTo("ACCEPTED")).body("studyId", equalTo(studyId));

        JsonPath indexed = awaitStudy(studyId, "COMPLETE", Duration.ofMinutes(3));
        assertThat(indexed.getList("images.dicomId")).contains(dicomId).hasSize(study.instances().size());
        assertThat(indexed.getString("subjectId")).isEqualTo(subjectId);
        assertThat(indexed.getMap("labels.chexpert")).isNotEmpty();

        // the JPG is in the dataset layout and has the DICOM's Rows x Columns
        byte[] jpg;
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(Buckets.JPG)
                .object(ObjectKeys.jpg(subjectId, studyId, dicomId)).build())) {
            jpg = in.readAllBytes();
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpg));
        assertThat(img).isNotNull();
        assertThat(img.getHeight()).isEqualTo(instance.image().rows());
        assertThat(img.getWidth()).isEqualTo(instance.image().columns());
        assertThat(img.getRaster().getNumBands()).isEqualTo(1);
        // the stored DICOM copy carries no patient name or id
        String stored = new String(s3.getObject(GetObjectArgs.builder().bucket(Buckets.RAW)
                .object(ObjectKeys.dicom(subjectId, studyId, dicomId)).build()).readAllBytes(),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(study.patient().patientId());
        fed.add(study);
        fedStudyIds.add(studyId);
    }

    @Test
    @Order(2)
    void badInstanceIsDeadLetteredAndTheStreamGoesOn() throws Exception {
        GeneratedStudy study = new StudyGenerator(11, small(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE)))
                .iterator().next();
        byte[] bad = study.instances().get(0).bytes();
        // a well-formed header that declares twice the rows its pixel data holds: ingest stores it
        // (it is valid DICOM with all UIDs), convert must reject it with a reason
        doubleRows(bad);
        JsonPath r = upload().contentType("application/dicom").body(bad)
                .post("/studies/instances").then().statusCode(200).extract().jsonPath();
        String studyId = r.getString("results[0].studyId");
        assertThat(r.getString("results[0].status")).isEqualTo("ACCEPTED");
        for (GeneratedInstance other : study.instances().subList(1, study.instances().size())) {
            upload().contentType("application/dicom").body(other.bytes()).post("/studies/instances")
                    .then().statusCode(200);
        }
        upload().contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .header("X-Patient-ID", study.patient().patientId()).header("X-Issuer-Of-Patient-ID", study.patient().issuerOfPatientId())
                .put("/studies/{uid}/report", study.studyInstanceUid()).then().statusCode(200);
        JsonPath indexed = awaitStudy(studyId, study.instances().size() > 1 ? "COMPLETE" : "FAILED",
                Duration.ofMinutes(3));
        List<Map<String, Object>> images = indexed.getList("images");
        assertThat(images).anySatisfy(i -> {
            assertThat(String.valueOf(i.get("status"))).isEqualTo("FAILED");
            assertThat(String.valueOf(i.get("failureReason"))).isIn("TRUNCATED", "DECODE_ERROR");
        });
        fed.add(study);
        fedStudyIds.add(studyId);
        failedInstances++;
        if (study.instances().size() == 1) {
            studiesWithoutImages++; // a study with no image has no label row: the release's files stay consistent
        }
    }

    @Test
    @Order(3)
    void twoHundredStudiesEndUpInARelease() throws Exception {
        List<GeneratedStudy> batch = new StudyGenerator(2026, small(EnumSet.allOf(EncodedSyntax.class)))
                .studies(STUDIES).toList();
        List<CompletableFuture<IngestUploader.StudyResult>> futures = new ArrayList<>();
        try (IngestUploader uploader = new IngestUploader(java.net.URI.create(ingest), 4)
                .withBearerToken(() -> platform.token("uploader", "researcher"))) {
            for (GeneratedStudy s : batch) {
                futures.add(uploader.submit(s));
            }
            for (var f : futures) {
                IngestUploader.StudyResult r = f.join();
                assertThat(r.instances()).allSatisfy(i -> assertThat(i.status()).isEqualTo("ACCEPTED"));
                assertThat(r.report().status()).isEqualTo("ACCEPTED");
                fed.add(r.study());
                fedStudyIds.add(r.report().studyId());
            }
        }
        for (String studyId : fedStudyIds.subList(fedStudyIds.size() - STUDIES, fedStudyIds.size())) {
            awaitStudy(studyId, "COMPLETE", Duration.ofMinutes(5));
        }

        Cxr.Result status = platform.cxr(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("restarts").containsPattern("ingest +\\d+ +up");

        Path out = platform.dataDir().resolve("release-out");
        Cxr.Result release = platform.cxr(Duration.ofMinutes(5), "release", out.toString(), "--catalog-url", catalog);
        assertThat(release.exitCode()).as(release.output()).isZero();

        long instances = fed.stream().mapToLong(s -> s.instances().size()).sum() - failedInstances;
        long studies = fed.size() - studiesWithoutImages;
        assertThat(csvRows(out.resolve("mimic-cxr-2.0.0-metadata.csv.gz"))).isEqualTo(instances);
        assertThat(csvRows(out.resolve("mimic-cxr-2.0.0-split.csv.gz"))).isEqualTo(instances);
        assertThat(csvRows(out.resolve("mimic-cxr-2.0.0-chexpert.csv.gz"))).isEqualTo(studies);
        assertThat(csvRows(out.resolve("mimic-cxr-2.0.0-negbio.csv.gz"))).isEqualTo(studies);
        assertThat(Files.readAllLines(out.resolve("IMAGE_FILENAMES"))).hasSize((int) instances);
        assertThat(Files.readAllLines(out.resolve("SHA256SUMS.txt"))).isNotEmpty();
    }

    private JsonPath awaitStudy(String studyId, String state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = research().get("/studies/{id}", studyId);
            last = r.statusCode() + " " + r.asString();
            if (r.statusCode() == 200 && state.equals(r.jsonPath().getString("state"))) {
                return r.jsonPath();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("study " + studyId + " not " + state + " after " + timeout + ": " + last);
    }

    /** Patches Rows (0028,0010), explicit VR little endian, to twice its value. */
    private static void doubleRows(byte[] dicom) {
        for (int i = 132; i + 10 <= dicom.length; i++) {
            if (dicom[i] == 0x28 && dicom[i + 1] == 0 && dicom[i + 2] == 0x10 && dicom[i + 3] == 0
                    && dicom[i + 4] == 'U' && dicom[i + 5] == 'S') {
                int rows = (dicom[i + 8] & 0xff) | (dicom[i + 9] & 0xff) << 8;
                dicom[i + 8] = (byte) (rows * 2);
                dicom[i + 9] = (byte) (rows * 2 >> 8);
                return;
            }
        }
        throw new IllegalStateException("no Rows element found");
    }

    private static long csvRows(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            long lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
            return lines - 1; // header
        }
    }

    private static GeneratorOptions small(EnumSet<EncodedSyntax> syntaxes) {
        return GeneratorOptions.defaults().withMaxSize(256, 256).withSyntaxes(syntaxes);
    }
}
