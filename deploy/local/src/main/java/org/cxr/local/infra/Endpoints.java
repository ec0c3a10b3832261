package org.cxr.local.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the local servers listen. The same values configure the services (as environment
 * variables) and the Quarkus tests (as configuration properties).
 */
public record Endpoints(
        String kafkaBootstrap,
        String jdbcBaseUrl,
        String dbUser,
        String dbPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey) {

    /** JDBC URL of one database on the local PostgreSQL server. */
    public String jdbcUrl(String database) {
        return jdbcBaseUrl + "/" + database;
    }

    /** Quarkus configuration for a service that uses the given database (or none). */
    public Map<String, String> quarkusConfig(String database) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("kafka.bootstrap.servers", kafkaBootstrap);
        cfg.put("cxr.s3.endpoint", s3Endpoint);
        cfg.put("cxr.s3.access-key", s3AccessKey);
        cfg.put("cxr.s3.secret-key", s3SecretKey);
        if (database != null) {
            cfg.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
            cfg.put("quarkus.datasource.username", dbUser);
            cfg.put("quarkus.datasource.password", dbPassword);
        }
        return cfg;
    }

    /** The same configuration as environment variables (MicroProfile Config naming). */
    public Map<String, String> environment(String database) {
        Map<String, String> env = new LinkedHashMap<>();
        quarkusConfig(database).forEach((k, v) ->
                env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        return env;
    }
}
