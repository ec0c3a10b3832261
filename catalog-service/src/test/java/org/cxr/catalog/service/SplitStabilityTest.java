package org.cxr.catalog.service;

import static org.cxr.catalog.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.cxr.catalog.testing.TestEvents;
import org.cxr.catalog.testing.Api;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.domain.split.SplitFractions;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A subject's split is decided once (dataset contract §6): later studies, a changed seed or
 * changed fractions never move it; only an operator pin does, and that is recorded.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class SplitStabilityTest {
    static final SplitAssigner A = new SplitAssigner("seed-A", new SplitFractions(0.6, 0.2, 0.2));
    static final SplitAssigner B = new SplitAssigner("seed-B", new SplitFractions(0, 0, 1));
    static final SplitAssigner C = new SplitAssigner("seed-C", new SplitFractions(1, 0, 0));

    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;

    @BeforeEach
    void reset() throws Exception {
        CatalogDb.reset(ds);
    }

    static RawEvent newStudy(int subject, int study) {
        String s = TestEvents.subject(subject);
        String st = TestEvents.study(study);
        return TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(s, st, TestEvents.dicom(st), T0));
    }

    @Test
    void aChangedSeedOrFractionsOnlyAffectsNewSubjects() throws Exception {
        for (int s = 0; s < 200; s++) {
            indexer.index(List.of(newStudy(s, s)), A);
        }
        Map<String, String> first = splits();
        assertThat(first).hasSize(200);
        first.forEach((subject, split) -> assertThat(split).isEqualTo(A.assign(subject).value()));
        assertThat(first.values()).contains("train", "validate", "test");

        // the configuration changes: every new subject goes to test from now on
        for (int s = 0; s < 300; s++) {
            indexer.index(List.of(newStudy(s, 1000 + s)), B);
        }
        Map<String, String> after = splits();
        for (int s = 0; s < 300; s++) {
            String subject = TestEvents.subject(s);
            assertThat(after.get(subject)).as(subject).isEqualTo(s < 200 ? first.get(subject) : "test");
        }
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study s JOIN subject_split ss USING (subject_id)"
                + " WHERE s.split IS DISTINCT FROM ss.split")).as("every study carries its subject's split").isZero();
    }

    @Test
    void randomHistoriesNeverMoveASubject() throws Exception {
        Random rnd = new Random(5);
        SplitAssigner[] configs = {A, B, C};
        Map<String, String> firstSeen = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            int subject = rnd.nextInt(60);
            SplitAssigner config = configs[rnd.nextInt(3)];
            indexer.index(List.of(newStudy(subject, 2000 + step)), config);
            firstSeen.putIfAbsent(TestEvents.subject(subject), config.assign(TestEvents.subject(subject)).value());
            if (step % 50 == 49) {
                assertThat(splits()).isEqualTo(firstSeen);
            }
        }
        assertThat(splits()).isEqualTo(firstSeen);
    }

    @Test
    void anOperatorPinIsRecordedAndKept() throws Exception {
        String subject = TestEvents.subject(77);
        // find a study whose seed-C split (train) differs from test
        indexer.index(List.of(newStudy(77, 7700)), C);
        assertThat(splits().get(subject)).isEqualTo("train");
        // the principal of the token is recorded, not a name in the body
        Api.as("ana@example.org", "operator").contentType(ContentType.JSON)
                .body("{\"split\":\"test\",\"operator\":\"mallory\",\"reason\":\"radiologist-reviewed report\"}")
                .put("/subjects/" + subject + "/split").then().statusCode(200)
                .body("oldSplit", equalTo("train")).body("split", equalTo("test")).body("studiesMoved", equalTo(1));
        indexer.index(List.of(newStudy(77, 7701), newStudy(77, 7702)), C);
        assertThat(splits().get(subject)).isEqualTo("test");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE subject_id = " + subject + " AND split = 'test'"))
                .isEqualTo(3);
        given().get("/subjects/" + subject).then().statusCode(200)
                .body("split.split", equalTo("test")).body("split.method", equalTo("PINNED"))
                .body("split.pinnedBy", equalTo("ana@example.org"))
                .body("split.pinReason", equalTo("radiologist-reviewed report"))
                .body("pins", hasSize(1)).body("pins[0].oldSplit", equalTo("train"))
                .body("studies", hasSize(3)).body("studies.split", equalTo(List.of("test", "test", "test")));
        given().queryParam("split", "test").queryParam("subject", subject).get("/studies").then().statusCode(200)
                .body("total", equalTo(3));

        // pinned before it is ever seen: the first study does not override the pin
        String future = TestEvents.subject(78);
        Api.as("bob", "operator").contentType(ContentType.JSON).body("{\"split\":\"validate\"}")
                .put("/subjects/" + future + "/split").then().statusCode(200)
                .body("subjectCreated", equalTo(true)).body("studiesMoved", equalTo(0));
        indexer.index(List.of(newStudy(78, 7800)), C);
        assertThat(splits().get(future)).isEqualTo("validate");
        given().get("/splits").then().statusCode(200).body("pinned.subjectId", equalTo(List.of(subject, future)));
    }

    private Map<String, String> splits() throws Exception {
        Map<String, String> m = new HashMap<>();
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT subject_id, split FROM subject_split")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }
}
