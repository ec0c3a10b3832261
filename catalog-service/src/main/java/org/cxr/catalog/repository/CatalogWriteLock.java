package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The catalog write lock, held by every writing transaction (indexing, pins) while it draws
 * change_seq numbers, so that commit order is change_seq order ("changed after the snapshot that
 * saw N" is exactly "change_seq > N"). A transaction-scoped advisory lock: released at commit.
 */
public final class CatalogWriteLock {
    /** "CXRC" (db/reset-catalog.sql takes it by its decimal value, 1129861699). */
    private static final long KEY = 0x43585243L;

    private CatalogWriteLock() {
    }

    public static void acquire(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + KEY + ")");
        }
    }
}
