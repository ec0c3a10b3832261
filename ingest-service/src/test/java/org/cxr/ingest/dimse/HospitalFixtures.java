package org.cxr.ingest.dimse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.infra.Endpoints;
import org.cxr.local.testing.LocalInfraTestResource;

/** Test instances with their own accession numbers, and lookups in ingest's real database. */
public final class HospitalFixtures {
    private HospitalFixtures() {
    }

    /** A DX instance as TestDicoms makes it, with {@code accession} as AccessionNumber. */
    public static byte[] instance(TestDicoms.Spec spec, String accession) {
        Dataset ds = TestDicoms.dataset(spec);
        ds.putString(Tag.AccessionNumber, VR.SH, accession);
        return DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(Files.createDirectories(dir).resolve(name), bytes);
    }

    /** The first column of every row. */
    public static List<String> column(String sql, Object... args) {
        Endpoints e = LocalInfraTestResource.endpoints();
        try (Connection c = DriverManager.getConnection(e.jdbcUrl("ingest"), e.dbUser(), e.dbPassword());
             var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Polls until {@code sql} counts at least {@code n} (or 15 s passed); returns the last count. */
    public static long awaitCount(long n, String sql, Object... args) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        long c;
        while ((c = Long.parseLong(column(sql, args).get(0))) < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        return c;
    }

    /** Waits (up to 15 s) until the count is 0, e.g. a row removed in a step after the one awaited; returns the last count. */
    public static long awaitNone(String sql, Object... args) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        long c;
        while ((c = Long.parseLong(column(sql, args).get(0))) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        return c;
    }
}
