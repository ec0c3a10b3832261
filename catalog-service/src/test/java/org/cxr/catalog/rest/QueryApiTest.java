package org.cxr.catalog.rest;

import static org.cxr.catalog.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import jakarta.inject.Inject;

import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.events.Observation;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every query endpoint, its filters (checked against the same question asked in SQL) and its 400s. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class QueryApiTest {
    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;

    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    static SmallDataset data = new SmallDataset(90, 7, 400, 400);

    @BeforeEach
    void load() throws Exception {
        if (CatalogDb.count(ds, "SELECT count(*) FROM study") != 90) {
            CatalogDb.reset(ds);
            indexer.index(data.events);
        }
    }

    // ---- /studies ---------------------------------------------------------------------------------

    @Test
    void listsEveryStudyInDatasetOrderWithTotal() throws Exception {
        List<String> expected = ids("SELECT study_id FROM study ORDER BY subject_id, study_id");
        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 20; page++) {
            Response r = given().queryParam("page", page).queryParam("size", 7).get("/studies");
            r.then().statusCode(200).body("total", equalTo(90)).body("size", equalTo(7)).body("page", equalTo(page));
            List<String> items = r.jsonPath().getList("items.studyId");
            if (items.isEmpty()) {
                break;
            }
            paged.addAll(items);
        }
        assertThat(paged).isEqualTo(expected);
        given().get("/studies").then().statusCode(200).body("size", equalTo(50)).body("items", hasSize(50));
    }

    /** Random combinations of filters: the in-memory index must answer what SQL answers. */
    @Test
    void filtersAgreeWithSql() throws Exception {
        Random rnd = new Random(11);
        String[] views = {"PA", "AP", "LATERAL", "LL"};
        String[] states = {"COMPLETE", "LABELLED", "RECEIVED", "FAILED", "CONVERTED"};
        String[] splits = {"train", "validate", "test"};
        String[] values = {"1", "0", "-1", "empty"};
        int nonEmpty = 0;
        for (int round = 0; round < 60; round++) {
            var q = given();
            List<String> where = new ArrayList<>();
            int labels = 1 + rnd.nextInt(2);
            Set<String> used = new HashSet<>();
            for (int k = 0; k < labels; k++) {
                String labeler = rnd.nextBoolean() ? "chexpert" : "negbio";
                Observation o = Observation.values()[rnd.nextInt(14)];
                if (!used.add(labeler + o)) {
                    continue; // a repeated parameter means "one of" (tested below), not "and"
                }
                String v = values[rnd.nextInt(values.length)];
                String v2 = rnd.nextInt(4) == 0 ? values[rnd.nextInt(values.length)] : null;
                String name = "label." + labeler + "." + (rnd.nextBoolean() ? o.column() : o.column().replace(' ', '_'));
                q.queryParam(name, v2 == null ? v : v + "," + v2);
                String col = StudyLabelEntity.COLUMNS[o.ordinal()];
                where.add("EXISTS (SELECT 1 FROM study_label l WHERE l.study_id = s.study_id AND l.labeler = '" + labeler
                        + "' AND (" + sqlValue(col, v) + (v2 == null ? "" : " OR " + sqlValue(col, v2)) + "))");
            }
            if (rnd.nextBoolean()) {
                String v = views[rnd.nextInt(views.length)];
                q.queryParam("view", v.toLowerCase());
                where.add("'" + v + "' = ANY (s.view_positions)");
            }
            if (rnd.nextInt(3) == 0) {
                String st = states[rnd.nextInt(states.length)];
                q.queryParam("state", st);
                where.add("s.state = '" + st + "'");
            }
            if (rnd.nextInt(3) == 0) {
                String sp = splits[rnd.nextInt(2)];
                q.queryParam("split", sp);
                where.add("s.split = '" + sp + "'");
            }
            if (rnd.nextInt(3) == 0) {
                q.queryParam("from", "2160-01-01").queryParam("to", "2190-12-31");
                where.add("s.study_date BETWEEN DATE '2160-01-01' AND DATE '2190-12-31'");
            }
            String sql = "FROM study s WHERE " + String.join(" AND ", where);
            long total = CatalogDb.count(ds, "SELECT count(*) " + sql);
            nonEmpty += total > 0 ? 1 : 0;
            Response r = q.queryParam("size", 5).get("/studies");
            r.then().statusCode(200);
            assertThat(r.jsonPath().getLong("total")).as(sql).isEqualTo(total);
            assertThat(r.jsonPath().getList("items.studyId", String.class)).as(sql)
                    .isEqualTo(ids("SELECT s.study_id " + sql + " ORDER BY s.subject_id, s.study_id LIMIT 5"));
        }
        assertThat(nonEmpty).as("the random filters are not all empty").isGreaterThan(20);
    }

    @Test
    void repeatedOrCommaSeparatedValuesMeanOneOf() throws Exception {
        long expected = CatalogDb.count(ds, "SELECT count(*) FROM study_label WHERE labeler = 'chexpert'"
                + " AND (edema = 1 OR edema = -1)");
        given().queryParam("label.chexpert.Edema", "1", "-1").get("/studies").then().statusCode(200)
                .body("total", equalTo((int) expected));
        given().queryParam("label.chexpert.edema", "1.0,-1.0").get("/studies").then().statusCode(200)
                .body("total", equalTo((int) expected));
    }

    private static String sqlValue(String col, String v) {
        return v.equals("empty") ? "l." + col + " IS NULL" : "l." + col + " = " + v;
    }

    @Test
    void oneStudyWithImagesLabelsAndReport() throws Exception {
        String study = ids("SELECT study_id FROM study s WHERE state = 'COMPLETE' AND EXISTS (SELECT 1 FROM study_label l"
                + " WHERE l.study_id = s.study_id) ORDER BY study_id LIMIT 1").get(0);
        given().get("/studies/" + study).then().statusCode(200)
                .body("studyId", equalTo(study))
                .body("state", equalTo("COMPLETE"))
                .body("split", notNullValue())
                .body("report.status", equalTo("LABELLED"))
                .body("report.section", notNullValue())
                .body("report.sectionText", containsString("impression of " + study))
                .body("labels.chexpert.values.size()", equalTo(14))
                .body("labels.negbio.labelerVersion", equalTo("label-1.0.0"))
                .body("images[0].path", containsString("/s" + study + "/"))
                .body("images[0].status", equalTo("CONVERTED"))
                .body("images[0].rows", equalTo(3056));
        String failed = ids("SELECT study_id FROM study WHERE state = 'FAILED' ORDER BY study_id LIMIT 1").get(0);
        given().get("/studies/" + failed).then().statusCode(200).body("failureReason", notNullValue());
        given().queryParam("state", "FAILED").get("/studies").then().statusCode(200)
                .body("items.failureReason", org.hamcrest.Matchers.everyItem(notNullValue()));
        given().get("/studies/59999999").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", equalTo("no such study in the catalog"));
        given().get("/studies/abc").then().statusCode(400).body("parameter", equalTo("studyId"));
        given().get("/studies/40000000").then().statusCode(400).body("parameter", equalTo("studyId"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lable.chexpert.Edema=1|(unknown)",
            "label.chexpert=1|label.<labeler>.<observation>",
            "label.chexbert.Edema=1|label.<labeler>.<observation>",
            "label.chexpert.Oedema=1|label.<labeler>.<observation>",
            "label.chexpert.Edema=2|label.chexpert.Edema",
            "label.CheXpert.pleural_effusion=2|label.chexpert.Pleural Effusion",
            "label.chexpert.Edema=|label.chexpert.Edema",
            "label.negbio.Edema=1,,0|label.negbio.Edema",
            "size=0|size",
            "size=501|size",
            "size=ten|size",
            "page=-1|page",
            "page=x|page",
            "page=1&page=2|page",
            "from=2020-13-01|from",
            "to=yesterday|to",
            "state=DONE|state",
            "split=dev|split",
            "subject=123|subject",
            "view=P@|view",
    })
    void badParametersAreClear400s(String query, String parameter) {
        given().urlEncodingEnabled(true).get("/studies?" + query).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("parameter", equalTo(parameter))
                .body("detail", notNullValue());
    }

    /** What a user might type into the wrong box: a patient's name and an MRN (8 digits, like a study_id). */
    private static final String NAME = "Doe^Jane";
    private static final String MRN = "51234567";
    private static final String TYPED = NAME + " " + MRN;
    /** An MRN that happens to look like a subject_id. */
    private static final String SUBJECT = "12345678";

    /**
     * No refusal repeats what was sent (the e2e leak scan's finding): every way of getting a 400 or
     * 404 out of the query, pin and release endpoints, with a name and an MRN in the value, the
     * parameter name, the path or the body.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET|/studies|subject|TYPED",
            "GET|/studies|view|TYPED",
            "GET|/studies|split|TYPED",
            "GET|/studies|state|TYPED",
            "GET|/studies|from|TYPED",
            "GET|/studies|to|TYPED",
            "GET|/studies|page|TYPED",
            "GET|/studies|size|TYPED",
            "GET|/studies|TYPED|1",
            "GET|/studies|label.chexpert.TYPED|1",
            "GET|/studies|label.TYPED.Edema|1",
            "GET|/studies|label.TYPED|1",
            "GET|/studies|label.chexpert.Edema|TYPED",
            "GET|/images|status|TYPED",
            "GET|/images|TYPED|1",
            "GET|/stats/labels|labeler|TYPED",
            "GET|/stats/states|TYPED|1",
            "GET|/studies/MRN||",
            "GET|/studies/TYPED||",
            "GET|/images/TYPED||",
            "GET|/subjects/TYPED||",
            "GET|/subjects/SUBJECT||",
            "GET|/releases/TYPED||",
            "GET|/releases/MRN||",
            "GET|/releases/MRN/files/TYPED||",
            "GET|/TYPED||",
            "PUT|/subjects/MRN/split|{\"split\": \"train\"}|",
            "PUT|/subjects/SUBJECT/split|{\"split\": \"TYPED\"}|",
            "PUT|/subjects/SUBJECT/split|{\"split\": \"TYPED\", |",
            "PUT|/subjects/SUBJECT/split|{\"split\": {\"TYPED\": 1}}|",
            "PUT|/subjects/SUBJECT/split|{\"TYPED\": \"train\"}|",
            "PUT|/subjects/SUBJECT/split|{\"split\": \"train\", \"reason\": TYPED}|",
            "POST|/releases|{\"since\": MRN}|",
            "POST|/releases|{\"since\": \"TYPED\"}|",
    })
    void refusalsNeverRepeatWhatWasSent(String method, String path, String nameOrBody, String value) {
        var request = given().urlEncodingEnabled(true);
        String p = path.replace("TYPED", "Doe_Jane_" + MRN).replace("MRN", MRN).replace("SUBJECT", SUBJECT);
        if (method.equals("GET")) {
            if (nameOrBody != null) {
                request.queryParam(typed(nameOrBody), typed(value));
            }
        } else {
            request.contentType(ContentType.JSON).body(typed(nameOrBody));
        }
        Response r = request.request(method, p);
        assertThat(r.statusCode()).as(r.asString()).isBetween(400, 499);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.asString()).as(method + " " + p).doesNotContainIgnoringCase("Doe").doesNotContainIgnoringCase("Jane")
                .doesNotContain(MRN).doesNotContain(SUBJECT);
    }

    private static String typed(String s) {
        return s.replace("TYPED", TYPED).replace("MRN", MRN);
    }

    // ---- /images ----------------------------------------------------------------------------------

    @Test
    void imagesFilteredByViewStatusAndStudyLabels() throws Exception {
        String sql = "FROM image i JOIN study s ON s.study_id = i.study_id WHERE i.status = 'CONVERTED'"
                + " AND i.view_position = 'PA' AND s.split = 'train' AND EXISTS (SELECT 1 FROM study_label l"
                + " WHERE l.study_id = s.study_id AND l.labeler = 'chexpert' AND l.no_finding = 1)";
        long total = CatalogDb.count(ds, "SELECT count(*) " + sql);
        assertThat(total).isPositive();
        List<String> all = ids("SELECT i.dicom_id " + sql + " ORDER BY s.subject_id, s.study_id, i.dicom_id");
        List<String> paged = new ArrayList<>();
        for (int page = 0; paged.size() < total && page < 50; page++) {
            Response r = given().queryParam("view", "PA").queryParam("status", "CONVERTED").queryParam("split", "train")
                    .queryParam("label.chexpert.No Finding", "1").queryParam("page", page).queryParam("size", 3)
                    .get("/images");
            r.then().statusCode(200).body("total", equalTo((int) total));
            paged.addAll(r.jsonPath().getList("items.dicomId"));
        }
        assertThat(paged).isEqualTo(all);
        long failed = CatalogDb.count(ds, "SELECT count(*) FROM image WHERE status = 'FAILED'");
        given().queryParam("status", "FAILED").get("/images").then().statusCode(200).body("total", equalTo((int) failed))
                .body("items[0].failureReason", equalTo("UNSUPPORTED_TRANSFER_SYNTAX"));
        given().queryParam("status", "DONE").get("/images").then().statusCode(400).body("parameter", equalTo("status"));
        given().queryParam("label.negbio.Edema", "x").get("/images").then().statusCode(400)
                .body("parameter", equalTo("label.negbio.Edema"));
    }

    @Test
    void oneImage() throws Exception {
        String dicom = ids("SELECT dicom_id FROM image WHERE status = 'CONVERTED' ORDER BY dicom_id LIMIT 1").get(0);
        given().get("/images/" + dicom).then().statusCode(200).body("dicomId", equalTo(dicom))
                .body("studyDate", notNullValue()).body("converterVersion", notNullValue());
        given().get("/images/" + dicom.replace(dicom.charAt(0), dicom.charAt(0) == 'f' ? 'e' : 'f')).then()
                .statusCode(404);
        given().get("/images/not-a-dicom-id").then().statusCode(400).body("parameter", equalTo("dicomId"));
    }

    // ---- /stats -----------------------------------------------------------------------------------

    @Test
    void labelPrevalenceMatchesTheLabelRows() throws Exception {
        Response r = given().queryParam("labeler", "chexpert").get("/stats/labels");
        r.then().statusCode(200).body("", hasSize(1)).body("[0].labeler", equalTo("chexpert"))
                .body("[0].studies", equalTo(90))
                .body("[0].observations", hasSize(14));
        long rows = CatalogDb.count(ds, "SELECT count(*) FROM study_label WHERE labeler = 'chexpert'");
        assertThat(r.jsonPath().getLong("[0].labelledStudies")).isEqualTo(rows);
        for (int o = 0; o < 14; o++) {
            String col = StudyLabelEntity.COLUMNS[o];
            assertThat(r.jsonPath().getString("[0].observations[" + o + "].observation"))
                    .isEqualTo(Observation.values()[o].column());
            assertThat(r.jsonPath().getLong("[0].observations[" + o + "].positive")).isEqualTo(CatalogDb.count(ds,
                    "SELECT count(*) FROM study_label WHERE labeler = 'chexpert' AND " + col + " = 1"));
            assertThat(r.jsonPath().getLong("[0].observations[" + o + "].uncertain")).isEqualTo(CatalogDb.count(ds,
                    "SELECT count(*) FROM study_label WHERE labeler = 'chexpert' AND " + col + " = -1"));
            assertThat(r.jsonPath().getLong("[0].observations[" + o + "].empty")).isEqualTo(CatalogDb.count(ds,
                    "SELECT count(*) FROM study_label WHERE labeler = 'chexpert' AND " + col + " IS NULL"));
        }
        given().get("/stats/labels").then().statusCode(200).body("labeler", equalTo(List.of("chexpert", "negbio")));
        given().queryParam("state", "COMPLETE").queryParam("split", "test").get("/stats/labels").then().statusCode(200)
                .body("[0].studies", equalTo((int) CatalogDb.count(ds,
                        "SELECT count(*) FROM study WHERE state = 'COMPLETE' AND split = 'test'")));
        given().queryParam("labeler", "chexbert").get("/stats/labels").then().statusCode(400)
                .body("parameter", equalTo("labeler"));
        given().queryParam("page", "1").get("/stats/labels").then().statusCode(400).body("parameter", equalTo("page"));
    }

    @Test
    void countsPerState() throws Exception {
        Response r = given().get("/stats/states");
        r.then().statusCode(200).body("studies", equalTo(90));
        for (String s : List.of("RECEIVED", "CONVERTED", "LABELLED", "COMPLETE", "FAILED")) {
            assertThat(r.jsonPath().getLong("studiesByState." + s)).as(s)
                    .isEqualTo(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = '" + s + "'"));
        }
        for (String s : List.of("PENDING", "CONVERTED", "FAILED")) {
            assertThat(r.jsonPath().getLong("imagesByStatus." + s)).as(s)
                    .isEqualTo(CatalogDb.count(ds, "SELECT count(*) FROM image WHERE status = '" + s + "'"));
        }
        assertThat(r.jsonPath().getLong("subjectsBySplit.train")).isEqualTo(
                CatalogDb.count(ds, "SELECT count(*) FROM subject_split WHERE split = 'train'"));
        given().queryParam("x", "1").get("/stats/states").then().statusCode(400).body("parameter", equalTo("(unknown)"));
    }

    // ---- /subjects, /splits ------------------------------------------------------------------------

    @Test
    void subjectsAndPins() throws Exception {
        String subject = ids("SELECT subject_id FROM subject ORDER BY subject_id LIMIT 1").get(0);
        given().get("/subjects/" + subject).then().statusCode(200).body("subjectId", equalTo(subject))
                .body("split.method", equalTo("ASSIGNED")).body("split.rule", containsString("seed=cxr-split-v1"))
                .body("studies.size()", equalTo((int) CatalogDb.count(ds,
                        "SELECT count(*) FROM study WHERE subject_id = " + subject)));
        given().get("/subjects/19999998").then().statusCode(404);
        given().get("/subjects/29999998").then().statusCode(400).body("parameter", equalTo("subjectId"));

        given().contentType(ContentType.JSON).body("{\"split\":\"holdout\",\"operator\":\"ana\"}")
                .put("/subjects/" + subject + "/split").then().statusCode(400).body("parameter", equalTo("split"));
        given().contentType(ContentType.JSON).body("{\"split\":")
                .put("/subjects/" + subject + "/split").then().statusCode(400).body("parameter", equalTo("body"));
        given().contentType(ContentType.JSON)
                .put("/subjects/" + subject + "/split").then().statusCode(400).body("parameter", equalTo("body"));
        given().contentType(ContentType.TEXT).body("test")
                .put("/subjects/" + subject + "/split").then().statusCode(415);

        given().get("/splits").then().statusCode(200).body("currentRule", containsString("seed=cxr-split-v1"))
                .body("subjectsBySplitAndMethod.train.ASSIGNED", notNullValue());
    }

    // ---- docs -------------------------------------------------------------------------------------

    @Test
    void openApiDocumentsEveryEndpointAndTheLabelFilters() {
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        for (String p : List.of("/studies", "/studies/{studyId}", "/images", "/images/{dicomId}", "/stats/labels",
                "/stats/states", "/subjects/{subjectId}", "/subjects/{subjectId}/split", "/splits", "/releases",
                "/releases/{releaseId}", "/releases/{releaseId}/files/{path}")) {
            assertThat(doc).as(p).contains("\"" + p + "\"");
        }
        assertThat(doc).contains("label.chexpert.Edema").contains("label.negbio.Support_Devices")
                .contains("application/problem+json");
        // health and metrics are on the management interface only (open there, not on the public port)
        io.restassured.RestAssured.given().get(ready.toString()).then().statusCode(200)
                .body("checks.name", hasItem("object-store")).body("checks.name", hasItem("kafka-broker"));
        io.restassured.RestAssured.given().get(metrics.toString()).then().statusCode(200)
                .body(containsString("cxr_catalog_events_total"));
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void dashboardIsServedAndEveryCallItMakesAnswersWithTheFieldsItReads() {
        String html = given().get("/dashboard/").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        for (String call : List.of("/stats/states", "/stats/labels?state=COMPLETE&labeler=", "/studies?state=FAILED&size=10",
                "\"/releases\"")) {
            assertThat(html).as(call).contains(call);
        }
        given().get("/stats/states").then().statusCode(200).body("studies", notNullValue())
                .body("studiesByState", notNullValue()).body("imagesByStatus", notNullValue())
                .body("subjectsBySplit", notNullValue()).body("studiesBySplit", notNullValue());
        for (String labeler : List.of("chexpert", "negbio")) {
            given().queryParam("state", "COMPLETE").queryParam("labeler", labeler).get("/stats/labels").then()
                    .statusCode(200).body("$", hasSize(1)).body("[0].labelledStudies", notNullValue())
                    .body("[0].observations", hasSize(14)).body("[0].observations[0].prevalence", notNullValue());
        }
        given().queryParam("state", "FAILED").queryParam("size", 10).get("/studies").then().statusCode(200)
                .body("total", notNullValue()).body("items", notNullValue());
        given().get("/releases").then().statusCode(200);
    }

    private List<String> ids(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
