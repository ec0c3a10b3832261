package org.cxr.ingest.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;

/** Direct access to the test's real database and object store, to check what the service recorded. */
public final class Infra {
    private static ObjectStore store;

    private Infra() {
    }

    public static synchronized ObjectStore store() {
        if (store == null) {
            Endpoints e = LocalInfraTestResource.endpoints();
            store = new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
        }
        return store;
    }

    public static long count(String sql, Object... args) {
        Endpoints e = LocalInfraTestResource.endpoints();
        try (Connection c = DriverManager.getConnection(e.jdbcUrl("ingest"), e.dbUser(), e.dbPassword());
             var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
