package org.cxr.ingest.bench;

import static org.cxr.ingest.testing.Api.given;

import java.nio.file.Path;
import java.util.Map;

import io.restassured.path.json.JsonPath;

final class ImportRun {
    private ImportRun() {
    }

    static JsonPath run(Path root, String layout) throws InterruptedException {
        String id = given().contentType("application/json").body(Map.of("path", root.toString(), "layout", layout))
                .post("/imports").then().statusCode(202).extract().path("importId");
        while (true) {
            JsonPath p = given().get("/imports/" + id).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(p.getString("state"))) {
                return p;
            }
            Thread.sleep(500);
        }
    }
}
