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
import java.util.stream.Stream;
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
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.launcher.PlatformState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.restassured.path.json.JsonPath;

/**
 * The whole platform as it is shipped: {@code ./cxr up} starts a real Kafka broker, PostgreSQL and an
 * S3 server and the four packaged services as separate JVMs; studies go in through ingest's REST
 * API; we check what the catalog returns, what lies in the buckets, and the release; {@code ./cxr
 * down} must leave no process and no bound port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {
    static final int STUDIES = 200;

    Path repo;
    Path dataDir;
    List<String> ports;
    PlatformState state;
    String ingest;
    String catalog;
    MinioClient s3;
    final List<GeneratedStudy> fed = new ArrayList<>();
    final List<String> fedStudyIds = new ArrayList<>();
    int failedInstances;
    int studiesWithoutImages;

    @BeforeAll
    void up() throws Exception {
        repo = LocalClasspath.repoRoot();
        dataDir = Files.createTempDirectory("cxr-e2e-");
        ports = new ArrayList<>();
        for (String p : List.of("--kafka-port", "--postgres-port", "--s3-port", "--ingest-port", "--convert-port",
                "--label-port", "--catalog-port")) {
            ports.add(p);
            ports.add(Integer.toString(FreePorts.pick(0)));
        }
        Cxr.Result r = cxr(Duration.ofMinutes(6), "up");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("platform ready");
        state = PlatformState.read(dataDir.resolve("platform.json")).orElseThrow();
        ingest = state.serviceUrls().get("ingest");
        catalog = state.serviceUrls().get("catalog");
        s3 = MinioClient.builder().endpoint(state.endpoints().s3Endpoint())
                .credentials(state.endpoints().s3AccessKey(), state.endpoints().s3SecretKey()).build();
        System.out.println("[e2e] platform up: Kafka " + state.endpoints().kafkaBootstrap() + ", PostgreSQL "
                + state.endpoints().jdbcBaseUrl() + ", S3 " + state.endpoints().s3Endpoint() + ", services "
                + state.serviceUrls());
    }

    @AfterAll
    void down() throws Exception {
        if (state == null) {
            return;
        }
        Cxr.Result r = cxr(Duration.ofMinutes(3), "down");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("no process left, ports free");
        for (long pid : state.servicePids().values()) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void oneStudyFlowsFromIngestToCatalogAndBucket() throws Exception {
        GeneratedStudy study = new StudyGenerator(7, small(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE)))
                .iterator().next();
        GeneratedInstance instance = study.instances().get(0);
        JsonPath accepted = given().baseUri(ingest).contentType("application/dicom").body(instance.bytes())
                .when().post("/studies/instances")
                .then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"))
                .extract().jsonPath();
        String subjectId = accepted.getString("results[0].subjectId");
        String studyId = accepted.getString("results[0].studyId");
        String dicomId = accepted.getString("results[0].dicomId");
        for (GeneratedInstance other : study.instances().subList(1, study.instances().size())) {
            given().baseUri(ingest).contentType("application/dicom").body(other.bytes())
                    .post("/studies/instances").then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"));
        }
        given().baseUri(ingest).contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .queryParam("patientId", study.patient().patientId()).queryParam("issuer", study.patient().issuerOfPatientId())
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
        JsonPath r = given().baseUri(ingest).contentType("application/dicom").body(bad)
                .post("/studies/instances").then().statusCode(200).extract().jsonPath();
        String studyId = r.getString("results[0].studyId");
        assertThat(r.getString("results[0].status")).isEqualTo("ACCEPTED");
        for (GeneratedInstance other : study.instances().subList(1, study.instances().size())) {
            given().baseUri(ingest).contentType("application/dicom").body(other.bytes()).post("/studies/instances")
                    .then().statusCode(200);
        }
        given().baseUri(ingest).contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .queryParam("patientId", study.patient().patientId()).queryParam("issuer", study.patient().issuerOfPatientId())
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
        try (IngestUploader uploader = new IngestUploader(java.net.URI.create(ingest), 4)) {
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

        Cxr.Result status = cxr(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).as(status.output()).isZero();

        Path out = dataDir.resolve("release-out");
        Cxr.Result release = Cxr.run(repo, Duration.ofMinutes(5), List.of("release", out.toString(),
                "--catalog-url", catalog));
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
            var r = given().baseUri(catalog).get("/studies/{id}", studyId);
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

    private Cxr.Result cxr(Duration timeout, String command) throws Exception {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.add("--data-dir");
        args.add(dataDir.toString());
        args.addAll(ports);
        return Cxr.run(repo, timeout, args);
    }
}
