package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * One role per service database on the local PostgreSQL: role {@code cxr_ingest} owns database
 * {@code ingest} and can connect to nothing else (CONNECT is revoked from PUBLIC on every service
 * database), likewise {@code cxr_catalog} (the role names of docker-compose and Kubernetes);
 * passwords come from the data directory's secrets. Connections
 * need a password (SCRAM), the superuser's too. Idempotent: run at every start; it also brings a
 * data directory from before roles existed into this shape (cluster open to local connections,
 * tables owned by the superuser).
 */
public final class PostgresRoles {
    private PostgresRoles() {
    }

    /** The role that owns a service's database. */
    public static String role(String database) {
        return "cxr_" + database;
    }

    /**
     * @param passwords the password of each service database's role ({@link #role}), by database
     */
    public static void provision(PostgresServer pg, String superuserPassword, Map<String, String> passwords) {
        try {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("ALTER ROLE " + PostgresServer.USER + " WITH PASSWORD " + literal(superuserPassword));
                for (Map.Entry<String, String> e : passwords.entrySet()) {
                    String db = e.getKey();
                    String role = ident(role(db));
                    st.execute((exists(st, "SELECT 1 FROM pg_roles WHERE rolname = " + literal(role(db))) ? "ALTER" : "CREATE")
                            + " ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
                            + literal(e.getValue()));
                    if (exists(st, "SELECT 1 FROM pg_database WHERE datname = " + literal(db))) {
                        st.execute("ALTER DATABASE " + ident(db) + " OWNER TO " + role);
                    } else {
                        st.execute("CREATE DATABASE " + ident(db) + " OWNER " + role);
                    }
                    st.execute("REVOKE ALL ON DATABASE " + ident(db) + " FROM PUBLIC");
                    st.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + ident(db) + " TO " + role);
                }
            }
            for (String db : passwords.keySet()) {
                adoptObjects(pg, db);
            }
            requirePasswords(pg);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up the database roles: " + e.getMessage(), e);
        }
    }

    /** Tables, views and sequences a service's role does not own yet (created by the superuser before roles existed). */
    private static void adoptObjects(PostgresServer pg, String db) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute("ALTER SCHEMA public OWNER TO " + ident(role(db)));
            st.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.relname FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
                    + " AND pg_get_userbyid(c.relowner) <> " + literal(role(db))
                    + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))"
                    + " LOOP EXECUTE format('ALTER TABLE public.%I OWNER TO %I', r.relname, " + literal(role(db)) + ");"
                    + " END LOOP; END $$");
        }
    }

    /** A cluster created by the former launcher trusted every local connection: from now on, passwords only. */
    private static void requirePasswords(PostgresServer pg) throws SQLException {
        Path hba = pg.cluster().resolve("pg_hba.conf");
        try {
            String text = Files.readString(hba);
            if (text.lines().anyMatch(l -> !l.strip().startsWith("#") && l.matches(".*\\btrust\\s*$"))) {
                Files.writeString(hba, "# written by cxr-local: every connection authenticates with a password\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
                try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                    st.execute("SELECT pg_reload_conf()");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + hba, e);
        }
    }

    private static boolean exists(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
