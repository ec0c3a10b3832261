package org.cxr.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.cli.ReleaseCommand;
import org.cxr.testing.auth.TestTokens;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.ObjectKeys;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The compatibility check: a release written by the running service and downloaded with
 * {@code ./cxr release OUT --with-images} (the same CLI), then read with pandas exactly as
 * MIMIC-CXR-JPG users do (src/test/resources/mimic_cxr_jpg_compat.py): columns, dtypes, joins on
 * the id columns, files/p../p../s../*.jpg paths, every JPG found. Needs /usr/bin/python3 with
 * pandas (Debian: python3-pandas); skipped with a message otherwise.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class MimicCompatibilityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ObjectStore store;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void pandasReadsTheReleaseLikeMimicCxrJpg(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "SKIPPED: /usr/bin/python3 is absent (apt-get install python3-pandas)");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import pandas").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "SKIPPED: pandas is not installed for /usr/bin/python3 (apt-get install python3-pandas)");

        CatalogDb.reset(ds);
        SmallDataset data = new SmallDataset(80, 9, 700, 700);
        indexer.index(data.events);
        byte[] jpg = tinyJpeg();
        for (String[] img : data.convertedImages) {
            store.put("cxr-jpg", ObjectKeys.jpg(img[0], img[1], img[2]), jpg, "image/jpeg", Map.of());
        }

        Path out = tmp.resolve("mimic-cxr-jpg");
        int exit = ReleaseCommand.run(out.toString(), "--with-images", "--catalog-url", "http://localhost:" + port,
                "--token", TestTokens.token("operator", "researcher"));
        assertThat(exit).isZero();
        assertThat(out.resolve("files")).isDirectory();

        Path script = Path.of("src/test/resources/mimic_cxr_jpg_compat.py").toAbsolutePath();
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), out.toString(), "--require-images")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        System.out.println("[compat] " + output.strip());
        assertThat(p.exitValue()).as(output).isZero();
        long images = CatalogDb.count(ds, "SELECT count(*) FROM image i JOIN study s USING (study_id)"
                + " WHERE s.state = 'COMPLETE' AND i.status = 'CONVERTED'");
        assertThat(output).contains("\"images\": " + images).contains("\"jpgs_found\": " + images);

        // sha256sum -c checks the whole tree, JPGs included
        Process sums = new ProcessBuilder("sha256sum", "--quiet", "-c", "SHA256SUMS.txt").directory(out.toFile())
                .redirectErrorStream(true).start();
        String sumsOut = new String(sums.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sums.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(sums.exitValue()).as(sumsOut).isZero();
        List<String> lines = Files.readAllLines(out.resolve("SHA256SUMS.txt"));
        assertThat(lines).hasSize((int) images + 6);
    }

    static byte[] tinyJpeg() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.getRaster().setSample(x, y, 0, x * 30);
            }
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", bo);
        return bo.toByteArray();
    }
}
