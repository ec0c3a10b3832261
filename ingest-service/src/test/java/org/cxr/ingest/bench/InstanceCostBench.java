package org.cxr.ingest.bench;

import java.security.MessageDigest;

import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.ingest.domain.deid.AllowList;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.TestDicoms;

/**
 * CPU cost of the service's own per-instance work on a 1 MB instance (single thread): sha256 of
 * the received bytes, DICOM parse, de-identification and writing of the copy, sha256 of the copy.
 * Run: {@code cd ingest-service && mvn -q test-compile && java -cp
 * target/test-classes:target/classes:$(cat target/classpath.txt) org.cxr.ingest.bench.InstanceCostBench}
 */
public final class InstanceCostBench {
    private InstanceCostBench() {
    }

    public static void main(String[] args) throws Exception {
        byte[] in = TestDicoms.sized(TestDicoms.spec("P", 1, 1), 1 << 20);
        Pseudonyms p = new Pseudonyms("bench-secret-0123456789");
        DicomDeidentifier deid = new DicomDeidentifier(AllowList.standard());
        int n = 300;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                MessageDigest.getInstance("SHA-256").digest(in);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DicomFile f = DicomReader.read(in);
                InstanceHeader.of(f, true);
                deid.deidentify(f, new DicomDeidentifier.Context("12345678", "50000001", 40_000, p::uid, w -> false));
            }
            long t2 = System.nanoTime();
            if (round == 3) {
                double sha = (t1 - t0) / 1e6 / n;
                double de = (t2 - t1) / 1e6 / n;
                BenchReport.write("per-instance CPU, 1 MB instance, 1 thread", String.format(
                        "sha256 %.2f ms (x2 per instance: received and stored bytes), parse + de-identify + write %.2f ms,"
                                + " total %.2f ms", sha, de, 2 * sha + de));
            }
        }
        System.exit(0);
    }
}
