package org.cxr.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.Buckets;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The catalog's dashboard in Debian's headless Chromium against the shared running platform (issue
 * 16 item 5): an operator logs in through the link {@code ./cxr up} prints; a convert dead letter
 * ({@code OBJECT_MISSING}: an instance announced before its object was stored) is redriven by a
 * click once the object is there and the image ends up CONVERTED; the pipeline page shows what the
 * pipeline API answers and draws its charts; a researcher opens a study ingested through the REST
 * API and sees its thumbnails loaded and its report's mentions highlighted as the API lists them.
 * Screenshots: {@code deploy/e2e/target/screenshots/e2e-dashboard-*.png}.
 */
@Order(300)
@ExtendWith(SharedPlatform.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    SharedPlatform platform;
    String catalog;
    Chromium chromium;
    ChromeDriver browser;
    WebDriverWait wait;
    /** The study ingested through the REST API, and the raw (de-identified) bytes of one of its instances. */
    String studyId;
    GeneratedInstance instance;
    byte[] rawDicom;

    @BeforeAll
    void start(SharedPlatform shared) {
        chromium = Chromium.start(); // skips the class where chromium or chromedriver is not installed
        platform = shared;
        catalog = platform.url("catalog");
        browser = chromium.driver;
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void aStudyIngestedThroughRestIsComplete() throws Exception {
        // a study whose report mentions findings, so that its page has something to highlight
        GeneratedStudy study = new StudyGenerator(303, GeneratorOptions.defaults().withMaxSize(256, 256)
                .withSyntaxes(EnumSet.of(EncodedSyntax.EXPLICIT_VR_LE))).studies(50)
                .filter(s -> s.answerKey().mentioned().stream().anyMatch(o -> o != Observation.NO_FINDING))
                .findFirst().orElseThrow();
        instance = study.instances().get(0);
        String subjectId = null;
        String dicomId = null;
        for (GeneratedInstance i : study.instances()) {
            JsonPath r = given().baseUri(platform.url("ingest")).auth().oauth2(platform.token("uploader", "researcher"))
                    .contentType("application/dicom").body(i.bytes()).post("/studies/instances")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(r.getString("results[0].status")).isEqualTo("ACCEPTED");
            if (i == instance) {
                subjectId = r.getString("results[0].subjectId");
                studyId = r.getString("results[0].studyId");
                dicomId = r.getString("results[0].dicomId");
            }
        }
        given().baseUri(platform.url("ingest")).auth().oauth2(platform.token("uploader", "researcher"))
                .contentType("text/plain; charset=utf-8").body(study.reportBytes())
                .header("X-Patient-ID", study.patient().patientId())
                .header("X-Issuer-Of-Patient-ID", study.patient().issuerOfPatientId())
                .put("/studies/{uid}/report", study.studyInstanceUid()).then().statusCode(200);
        awaitStudy(studyId, s -> "COMPLETE".equals(s.getString("state")), "COMPLETE");
        try (InputStream in = platform.s3().getObject(GetObjectArgs.builder().bucket(Buckets.RAW)
                .object(ObjectKeys.dicom(subjectId, studyId, dicomId)).build())) {
            rawDicom = in.readAllBytes();
        }
    }

    @Test
    @Order(2)
    void operatorRedrivesADeadLetterByAClickAndTheImageIsConverted() throws Exception {
        login("operator");
        // an instance announced before its object is in the store: convert dead-letters it OBJECT_MISSING
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String subjectId;
        String lostStudy;
        int draws = 0;
        do { // ids ingest has not drawn (it draws them at random too)
            assertThat(draws++).as("draws of unused ids").isLessThan(10);
            subjectId = Integer.toString(random.nextInt(10_000_000, 20_000_000));
            lostStudy = Integer.toString(random.nextInt(50_000_000, 60_000_000));
        } while (operator().get("/subjects/{id}", subjectId).statusCode() != 404
                || given().baseUri(catalog).auth().oauth2(platform.token("researcher"))
                        .get("/studies/{id}", lostStudy).statusCode() != 404);
        String dicomId = String.join("-", random.ints(5, 0, Integer.MAX_VALUE)
                .mapToObj(n -> String.format("%08x", n)).toList());
        String key = ObjectKeys.dicom(subjectId, lostStudy, dicomId);
        InstanceReceived announced = new InstanceReceived(InstanceReceived.SCHEMA_VERSION, subjectId, lostStudy, dicomId,
                Buckets.RAW, key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawDicom)),
                rawDicom.length, instance.transferSyntaxUid(), instance.sopClassUid(), Source.REST, Instant.now());
        publish(announced);
        JsonPath dead = awaitOperator("/dead-letters?stage=convert&reason=OBJECT_MISSING&size=100",
                j -> j.getList("items.dicomId").contains(dicomId), "a convert dead letter for " + dicomId);
        String eventId = dead.getString("items.find { it.dicomId == '" + dicomId + "' }.eventId");
        awaitStudy(lostStudy, s -> "FAILED".equals(s.getString("images[0].status")), "its image FAILED");

        // the object restored, the operator redrives it from the dead-letters page
        platform.s3().putObject(PutObjectArgs.builder().bucket(Buckets.RAW).object(key)
                .stream(new java.io.ByteArrayInputStream(rawDicom), (long) rawDicom.length, -1L)
                .contentType("application/dicom").build());
        browser.get(catalog + "/dashboard/dead-letters.html");
        By item = By.cssSelector("#items tr[data-event-id='" + eventId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(item));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#countsChart .uplot canvas")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(item, "OBJECT_MISSING"));
        screenshot("dead-letters");
        // the page re-renders its rows every 5 s: a row found just before that is stale, find it again
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(item).findElement(By.tagName("button")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(item, "by e2e-operator"));
        wait.until(d -> d.findElement(item).findElements(By.tagName("button")).isEmpty());
        assertThat(browser.findElement(By.id("redriveResult")).getText()).startsWith("redrove 1 of 1");
        screenshot("redriven");

        JsonPath converted = awaitStudy(lostStudy, s -> "CONVERTED".equals(s.getString("images[0].status")),
                "its image CONVERTED after the redrive");
        assertThat(converted.getString("images[0].dicomId")).isEqualTo(dicomId);
        // the JPG the redriven conversion wrote is in the dataset layout
        try (InputStream jpg = platform.s3().getObject(GetObjectArgs.builder().bucket(Buckets.JPG)
                .object(ObjectKeys.jpg(subjectId, lostStudy, dicomId)).build())) {
            assertThat(jpg.readNBytes(3)).containsExactly(0xff, 0xd8, 0xff);
        }
        JsonPath after = operator().get("/dead-letters?stage=convert&size=100").then().statusCode(200).extract().jsonPath();
        assertThat(after.getString("items.find { it.eventId == '" + eventId + "' }.redrivenBy")).isEqualTo("e2e-operator");
    }

    @Test
    @Order(3)
    void pipelinePageShowsWhatThePipelineApiSaysAndDrawsItsCharts() {
        login("operator");
        browser.get(catalog + "/dashboard/pipeline.html");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groups tr[data-group='catalog-service']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rates tr[data-series='received']")));
        // the page refreshes every 5 s: the same numbers as the API within a few refreshes
        String[] last = new String[2];
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "page " + last[0] + " vs API " + last[1]).until(d -> {
                    last[0] = shownPipeline();
                    last[1] = apiPipeline();
                    return last[0].equals(last[1]) && last[0].equals(shownPipeline());
                });
        // what this class made is in it (the redriven conversion and this run's instances); the three consumer groups
        assertThat(last[0]).containsPattern("convert\\.processed=([2-9]|\\d\\d)")
                .containsPattern("^.* convert-service=-?\\d+ label-service=-?\\d+ catalog-service=-?\\d+$");
        for (String chart : List.of("ratesChart", "lagChart")) {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#" + chart + " .uplot canvas")));
            long painted = (Long) browser.executeScript("const c = document.querySelector('#' + arguments[0] + ' .uplot canvas');"
                    + " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + " for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++; return n;", chart);
            assertThat(painted).as(chart + " pixels drawn").isGreaterThan(100);
        }
        screenshot("pipeline");
    }

    @Test
    @Order(4)
    void researcherSeesTheStudyWithThumbnailsAndHighlightedMentions() {
        login("researcher");
        JsonPath study = given().baseUri(catalog).auth().oauth2(platform.token("researcher"))
                .get("/studies/{id}", studyId).then().statusCode(200).extract().jsonPath();
        browser.get(catalog + "/dashboard/study.html?id=" + studyId);
        wait.until(ExpectedConditions.textToBe(By.id("studyId"), studyId));
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .withMessage(() -> "no mention highlighted; report: " + browser.findElement(By.id("report")).getText()
                        + "; API mentions: " + study.getList("report.mentions"))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#report mark")));
        List<WebElement> thumbnails = browser.findElements(By.cssSelector("#images img"));
        assertThat(thumbnails).hasSize(study.getList("images").size());
        for (WebElement img : thumbnails) { // loading="lazy": each loads once it is scrolled into view
            browser.executeScript("arguments[0].scrollIntoView()", img);
            wait.until(d -> (Boolean) browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
            assertThat((String) img.getAttribute("src")).contains("/images/").endsWith("/thumbnail");
        }
        // every mention the API lists is highlighted in the section text, with its value
        List<Map<String, Object>> mentions = new ArrayList<>(study.getList("report.mentions"));
        mentions.sort(Comparator.comparingInt(m -> ((Number) m.get("start")).intValue()));
        List<String> expected = new ArrayList<>();
        int at = 0;
        for (Map<String, Object> m : mentions) {
            if (((Number) m.get("start")).intValue() >= at) {
                expected.add(m.get("observation") + "=" + Math.round(((Number) m.get("value")).doubleValue()));
                at = ((Number) m.get("end")).intValue();
            }
        }
        assertThat(expected).isNotEmpty();
        List<WebElement> marks = browser.findElements(By.cssSelector("#report mark"));
        assertThat(marks.stream().map(m -> m.getAttribute("data-observation") + "=" + m.getAttribute("data-value")).toList())
                .isEqualTo(expected);
        String section = study.getString("report.sectionText");
        for (WebElement mark : marks) {
            String text = (String) browser.executeScript("return arguments[0].firstChild.textContent", mark);
            assertThat(section).contains(text);
            assertThat(mark.getAttribute("class")).contains(Map.of("1", "v1", "0", "v0", "-1", "vu")
                    .get(mark.getAttribute("data-value")));
        }
        browser.executeScript("window.scrollTo(0, 0)");
        screenshot("study");
    }

    /** Logs in through the link {@code ./cxr up} prints: the token in the fragment, exchanged for a session cookie. */
    private void login(String role) {
        browser.get(catalog + "/dashboard/login#token=" + platform.token(role));
        wait.until(ExpectedConditions.urlMatches("/dashboard/$"));
        wait.until(ExpectedConditions.textToBe(By.id("who"), "e2e-" + role));
    }

    /** Every rates row's total and every group's lag as the page shows them. */
    private String shownPipeline() {
        List<String> rows = new ArrayList<>();
        browser.findElements(By.cssSelector("#rates tr[data-stage]")).forEach(r -> rows.add(
                r.getAttribute("data-stage") + "." + r.getAttribute("data-series") + "=" + r.getAttribute("data-total")));
        browser.findElements(By.cssSelector("#groups tr[data-group]")).forEach(r -> rows.add(
                r.getAttribute("data-group") + "=" + r.getAttribute("data-lag")));
        return String.join(" ", rows);
    }

    /** The same from GET /pipeline/rates?window=1h and GET /pipeline/lag, with the operator's token. */
    private String apiPipeline() {
        List<String> rows = new ArrayList<>();
        Map<String, Map<String, List<Number>>> stages = operator().get("/pipeline/rates?window=1h")
                .then().statusCode(200).extract().jsonPath().getMap("stages");
        stages.forEach((stage, series) -> series.forEach((name, counts) -> rows.add(
                stage + "." + name + "=" + counts.stream().mapToLong(Number::longValue).sum())));
        List<Map<String, Object>> groups = operator().get("/pipeline/lag").then().statusCode(200).extract().jsonPath()
                .getList("groups");
        groups.forEach(g -> rows.add(g.get("group") + "=" + g.get("lag")));
        return String.join(" ", rows);
    }

    private RequestSpecification operator() {
        return given().baseUri(catalog).auth().oauth2(platform.token("operator"));
    }

    /** Publishes an event as the broker's admin, as ingest would: keyed by study, CloudEvents headers. */
    private void publish(InstanceReceived event) throws Exception {
        Properties p = new Properties();
        p.putAll(platform.kafkaAdmin());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INSTANCE_RECEIVED, event.studyId(),
                    EventJson.write(event));
            EventHeaders.of(event, "/cxr/e2e", Instant.now()).forEach((k, v) -> r.headers().add(k, v));
            producer.send(r).get();
        }
    }

    private JsonPath awaitStudy(String id, java.util.function.Predicate<JsonPath> done, String what)
            throws InterruptedException {
        return await(() -> given().baseUri(catalog).auth().oauth2(platform.token("researcher")).get("/studies/{id}", id),
                done, "study " + id + ": " + what);
    }

    private JsonPath awaitOperator(String path, java.util.function.Predicate<JsonPath> done, String what)
            throws InterruptedException {
        return await(() -> operator().get(path), done, what);
    }

    private static JsonPath await(java.util.function.Supplier<io.restassured.response.Response> call,
                                  java.util.function.Predicate<JsonPath> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = call.get();
            last = r.statusCode() + " " + r.asString();
            if (r.statusCode() == 200 && done.test(r.jsonPath())) {
                return r.jsonPath();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not " + what + " within 60 s: " + last);
    }

    private void screenshot(String name) {
        chromium.screenshot("e2e-dashboard-" + name);
    }
}
