package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * deploy/compose/postgres/init-databases.sh run by psql against a real PostgreSQL, as the postgres
 * image (compose, local overlay) runs it: each service's role owns its database, can create its
 * tables there, and cannot connect to the other service's database.
 */
class PostgresRolesTest {

    @Test
    void eachServiceRoleOwnsItsDatabaseAndCannotConnectToTheOther() throws Exception {
        assumeTrue(Tools.find("psql").isPresent(), "psql is not installed (Debian package postgresql-client): "
                + "skipping the init script against a real server; its SQL was still checked as text");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Tools.Result r = Tools.run(List.of("bash", "deploy/compose/postgres/init-databases.sh"), Map.of(
                    "PGHOST", "127.0.0.1", "PGPORT", Integer.toString(pg.getPort()), "POSTGRES_USER", "postgres",
                    "CXR_DB_INGEST_PASSWORD", "ingest-test-password", "CXR_DB_CATALOG_PASSWORD", "catalog-test-password"));
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/";
            for (String[] own : List.of(new String[] {"ingest", "catalog"}, new String[] {"catalog", "ingest"})) {
                String role = "cxr_" + own[0];
                try (Connection c = DriverManager.getConnection(url + own[0], role, own[0] + "-test-password");
                        Statement st = c.createStatement()) {
                    // What Flyway does at the service's start.
                    st.execute("CREATE TABLE flyway_probe (id int)");
                    st.execute("DROP TABLE flyway_probe");
                }
                assertThatThrownBy(() -> DriverManager.getConnection(url + own[1], role, own[0] + "-test-password").close())
                        .as(role + " connecting to " + own[1]).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied for database");
            }
        }
    }
}
