package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.LabelledStudy;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.ObjectKeys;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What the study page reads (issue 16 item 3): the report's labelled section with its mention spans
 * as label-service sent them, the study's history from its facts, and thumbnails the catalog makes
 * from the converted JPG in the store (256 pixels on the long side; 404 when there is no JPG).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class StudyPageApiTest {
    @Inject
    CatalogIndexer indexer;
    @Inject
    ObjectStore store;

    @Test
    void mentionsHistoryAndThumbnails() throws Exception {
        LabelledStudy s = new LabelledStudy(960, indexer, store);
        JsonPath study = given().get("/studies/" + s.study).then().statusCode(200).body("state", equalTo("COMPLETE"))
                .body("report.sectionText", equalTo(LabelledStudy.SECTION)).extract().jsonPath();
        assertThat(study.getList("report.mentions.observation")).containsExactly("Pleural Effusion", "Edema", "Pneumonia");
        assertThat(study.getList("report.mentions.start", Integer.class)).containsExactly(3, 36, 52);
        assertThat(study.getList("report.mentions.value", Double.class)).containsExactly(0.0, 1.0, -1.0);
        assertThat(study.getDouble("report.mentions[2].negbio")).isEqualTo(0.0);
        assertThat(study.getMap("report.mentions[0]")).doesNotContainKey("negbio");

        List<String> what = given().get("/studies/" + s.study + "/history").then().statusCode(200).extract().jsonPath()
                .getList("what");
        assertThat(what).containsSubsequence("instance received", "report received", "instance converted",
                "report labelled", "now COMPLETE");
        given().get("/studies/59999998/history").then().statusCode(404);

        Response thumb = given().get("/images/" + s.dicom + "/thumbnail");
        thumb.then().statusCode(200).contentType("image/jpeg").header("Cache-Control", equalTo("private, max-age=3600"));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumb.asByteArray()));
        assertThat(img.getWidth()).isEqualTo(256);
        assertThat(img.getHeight()).isEqualTo(213);
        // served from the cache once made: the same bytes even with the object gone
        store.delete("cxr-jpg", ObjectKeys.jpg(s.subject, s.study, s.dicom));
        assertThat(given().get("/images/" + s.dicom + "/thumbnail").asByteArray()).isEqualTo(thumb.asByteArray());

        LabelledStudy missing = new LabelledStudy(961, indexer, store);
        store.delete("cxr-jpg", ObjectKeys.jpg(missing.subject, missing.study, missing.dicom));
        given().get("/images/" + missing.dicom + "/thumbnail").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/images/" + TestEvents.dicom("never-seen") + "/thumbnail").then().statusCode(404);
        given().get("/images/not-an-id/thumbnail").then().statusCode(400);
    }
}
