package org.cxr.ingest.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.Deflater;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.ingest.testing.Api;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 14 item 6: the service in a JVM with a 512 MB heap that exits on an OutOfMemoryError (its
 * own surefire execution in ingest-service/pom.xml: {@code -Xmx512m -XX:+ExitOnOutOfMemoryError}),
 * concurrent large uploads streamed by the client (this JVM never holds one in memory either),
 * plus a deflate bomb. Every request must be stored or refused cleanly (503 + Retry-After,
 * REJECTED TOO_LARGE) and the service must still be ready afterwards. CI size: 16 uploads of 24 MB
 * (above the 16 MiB in-memory threshold: every one is spooled and streamed);
 * {@code -Dingest.memory.full=true} sends 16 of 200 MB.
 */
@QuarkusTest
@TestProfile(BoundedMemoryTest.LargeObjects.class)
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class BoundedMemoryTest {
    static final boolean FULL = Boolean.getBoolean("ingest.memory.full");
    static final int UPLOADS = 16;
    static final int SIDE = FULL ? 10_000 : 3_464; // 16-bit square: 200 MB or 24 MB of pixel data

    /** The production object limit (256 MiB) instead of the tests' 8 MiB. */
    public static class LargeObjects implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cxr.ingest.max-object-bytes", String.valueOf(300L << 20));
        }
    }

    @TestHTTPResource("/")
    URL url;

    @Test
    void largeConcurrentUploadsAndADeflateBombAreStoredOrRefusedCleanly() throws Exception {
        String base = url.toString().replaceAll("/$", "");
        assertThat(Runtime.getRuntime().maxMemory()).as("run in the memory execution (-Xmx512m)").isLessThan(600L << 20);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long run = TestDicoms.runBase();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            byte[] header = header(TestDicoms.spec("MRN-MEM-" + run, run, i + 1));
            long pixels = (long) SIDE * SIDE * 2;
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/studies/instances"))
                    .header("Content-Type", "application/dicom").header("Authorization", Api.bearer("uploader")).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new SequenceInputStream(new java.io.ByteArrayInputStream(header), new Pattern(pixels))),
                            header.length + pixels))
                    .build();
            answers.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        HttpRequest bombRequest = HttpRequest.newBuilder(URI.create(base + "/studies/instances"))
                .header("Content-Type", "application/dicom").header("Authorization", Api.bearer("uploader")).POST(HttpRequest.BodyPublishers.ofByteArray(deflateBomb(run)))
                .build();
        HttpResponse<String> bomb = http.send(bombRequest, HttpResponse.BodyHandlers.ofString());
        if (bomb.statusCode() != 503) { // refused for room while the large uploads run: also clean
            assertThat(bomb.statusCode()).isEqualTo(200);
            assertThat(bomb.body()).contains("\"REJECTED\"").contains("TOO_LARGE");
        }

        int stored = 0;
        int busy = 0;
        for (var f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                assertThat(r.body()).contains("\"ACCEPTED\"");
                stored++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                busy++;
            }
        }
        assertThat(stored).as("stored (" + busy + " refused 503)").isPositive();
        // with the uploads done there is room again: the bomb is parsed and stops at the inflate limit
        bomb = http.send(bombRequest, HttpResponse.BodyHandlers.ofString());
        assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(200);
        assertThat(bomb.body()).contains("\"REJECTED\"").contains("TOO_LARGE");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(Api.management("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        System.out.printf("memory test: %d x %d MB, %d stored, %d refused 503 + Retry-After%n", UPLOADS,
                (long) SIDE * SIDE * 2 >> 20, stored, busy);
    }

    /** Everything of an instance before its pixel data, then the Pixel Data element's header (OW, explicit VR LE). */
    static byte[] header(TestDicoms.Spec spec) throws IOException {
        Dataset ds = TestDicoms.dataset(spec);
        ds.remove(Tag.PixelData);
        ds.putInt(Tag.Rows, VR.US, SIDE);
        ds.putInt(Tag.Columns, VR.US, SIDE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        ByteBuffer px = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        px.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt(SIDE * SIDE * 2);
        out.write(px.array());
        return out.toByteArray();
    }

    /**
     * A deflated-syntax instance of about 1 MB whose dataset inflates to 1 GiB: valid file meta, the
     * dataset's UIDs, then 1 GiB of zeros as pixel data, all deflated.
     */
    static byte[] deflateBomb(long run) throws IOException {
        Dataset ds = TestDicoms.dataset(TestDicoms.spec("MRN-BOMB-" + run, run + 1, 1));
        ds.remove(Tag.PixelData);
        byte[] meta = DicomWriter.toBytes(new Dataset(), "1.2.840.10008.1.2.1.99");
        byte[] explicit = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        int metaEnd = 132 + 12 + ByteBuffer.wrap(meta, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int dsStart = 132 + 12 + ByteBuffer.wrap(explicit, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(meta, 0, metaEnd);
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (var z = new java.util.zip.DeflaterOutputStream(out, d)) {
            z.write(explicit, dsStart, explicit.length - dsStart);
            ByteBuffer px = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            px.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0)
                    .putInt(1 << 30);
            z.write(px.array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
        } finally {
            d.end();
        }
        return out.toByteArray();
    }

    /** Pixel bytes produced on demand (a 200 MB upload never exists in this JVM). */
    static final class Pattern extends InputStream {
        private long left;

        Pattern(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? (int) (left & 0x0F) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((left - i) & 0x0F);
            }
            left -= n;
            return n;
        }
    }

}
