package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Byte ranges of release downloads (what {@code ./cxr release} continues an interrupted file with):
 * 206 with exactly the bytes asked for, for release files (releases bucket) and JPGs (jpg bucket);
 * 416 with {@code Content-Range: bytes *}/SIZE for a range past the end or a malformed one; the whole
 * file when If-Range names another ETag or several ranges are asked; the same roles as a download;
 * curl's {@code -C -} continues a partial file.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ReleaseRangeTest {
    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ObjectStore store;
    @TestHTTPResource("/")
    URL root;

    @Test
    void rangesOfReleaseFilesAndJpgs(@TempDir Path tmp) throws Exception {
        CatalogDb.reset(ds);
        indexer.index(new SmallDataset(12, 5, 800, 800).events);
        int id = ReleaseApiTest.start("{}");
        ReleaseApiTest.awaitDone(id);
        String base = "/releases/" + id + "/files/";

        String csv = base + "mimic-cxr-2.0.0-metadata.csv.gz";
        Response whole = given().get(csv);
        whole.then().statusCode(200).header("Accept-Ranges", "bytes");
        byte[] all = whole.asByteArray();
        int size = all.length;
        String etag = whole.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(size));
        assertThat(size).isGreaterThan(100);

        assertRange(csv, "bytes=10-99", all, 10, 99, etag);
        assertRange(csv, "bytes=40-", all, 40, size - 1, etag);
        assertRange(csv, "bytes=-25", all, size - 25, size - 1, etag);
        assertRange(csv, "bytes=0-" + (size + 1000), all, 0, size - 1, etag); // a last byte past the end is cut
        assertRange(csv, "bytes=" + (size - 1) + "-" + (size - 1), all, size - 1, size - 1, etag);

        for (String bad : new String[] {"bytes=" + size + "-", "bytes=" + (size + 5) + "-" + (size + 9), "bytes=9-3",
                "bytes=x-", "bytes=-0", "bytes=5"}) {
            given().header("Range", bad).get(csv).then().statusCode(416).header("Content-Range", "bytes */" + size)
                    .contentType(Problem.MEDIA_TYPE).body("status", equalTo(416)).body("parameter", equalTo("Range"));
        }
        // several ranges, another unit, a stale If-Range: the whole file
        for (Map<String, String> headers : new Map[] {Map.of("Range", "bytes=0-1,5-6"), Map.of("Range", "items=0-1"),
                Map.of("Range", "bytes=10-", "If-Range", "\"not-the-etag\"")}) {
            Response r = given().headers(headers).get(csv);
            r.then().statusCode(200);
            assertThat(r.asByteArray()).isEqualTo(all);
        }
        // the ETag the first answer gave: the range
        Response r = given().header("Range", "bytes=100-").header("If-Range", etag).get(csv);
        r.then().statusCode(206);
        assertThat(r.asByteArray()).isEqualTo(Arrays.copyOfRange(all, 100, size));

        // a JPG of the release, streamed from the jpg bucket
        String jpg = new String(given().get(base + "IMAGE_FILENAMES").asByteArray(), StandardCharsets.US_ASCII).lines()
                .findFirst().orElseThrow();
        byte[] pixels = new byte[300_000];
        new Random(7).nextBytes(pixels);
        store.put("cxr-jpg", jpg, pixels, "image/jpeg", Map.of());
        Response jpgWhole = given().get(base + jpg);
        jpgWhole.then().statusCode(200).contentType("image/jpeg");
        assertThat(jpgWhole.asByteArray()).isEqualTo(pixels);
        assertRange(base + jpg, "bytes=123456-", pixels, 123456, pixels.length - 1, jpgWhole.header("ETag"));
        given().header("Range", "bytes=300000-").get(base + jpg).then().statusCode(416)
                .header("Content-Range", "bytes */300000");

        // the roles of a download: a researcher
        RestAssured.given().header("Range", "bytes=0-9").get(csv).then().statusCode(401);
        RestAssured.given().auth().oauth2(TestTokens.token("operator")).header("Range", "bytes=0-9").get(csv).then()
                .statusCode(403);
        RestAssured.given().auth().oauth2(TestTokens.token("researcher")).header("Range", "bytes=0-9").get(csv).then()
                .statusCode(206);

        // curl, a client nobody here wrote, continues a partial JPG (curl -C -: it fails with exit 33 if
        // the answer is not the range it asked for)
        Path curl = Path.of("/usr/bin/curl");
        if (!Files.isExecutable(curl)) {
            System.out.println("SKIPPED: the curl resume check (/usr/bin/curl is absent; apt-get install curl)");
            return;
        }
        Path part = tmp.resolve("part.jpg");
        Files.write(part, Arrays.copyOf(pixels, 100_000));
        Process p = new ProcessBuilder(curl.toString(), "-sS", "-f", "-C", "-", "-o", part.toString(), "-H",
                "Authorization: Bearer " + TestTokens.token("researcher"), root + base.substring(1) + jpg)
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isZero();
        assertThat(Files.readAllBytes(part)).isEqualTo(pixels);
    }

    private static void assertRange(String url, String range, byte[] all, int first, int last, String etag) {
        Response r = given().header("Range", range).get(url);
        r.then().statusCode(206).header("Content-Range", "bytes " + first + "-" + last + "/" + all.length)
                .header("Content-Length", Integer.toString(last - first + 1)).header("ETag", etag);
        assertThat(r.asByteArray()).as(range).isEqualTo(Arrays.copyOfRange(all, first, last + 1));
    }
}
