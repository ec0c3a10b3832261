package org.cxr.deploy.validation;

import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.TopicAccess;

/**
 * One of the four services as the deployment must run it: its public port (the API; health and
 * metrics are on {@link #MANAGEMENT_PORT}), its database, whether it has an HTTP API (and so
 * verifies tokens), and the environment it needs (docs/architecture.md, "Configuration";
 * docs/security.md for Kafka, S3 and OIDC).
 */
record PlatformService(String name, int port, String database, boolean api) {
    static final List<PlatformService> ALL = List.of(
            new PlatformService("ingest-service", 8081, "ingest", true),
            new PlatformService("convert-service", 8082, null, false),
            new PlatformService("label-service", 8083, null, false),
            new PlatformService("catalog-service", 8084, "catalog", true));

    /**
     * A consumer's session timeout in every deployment, as the local launcher's
     * ({@code Platform.SESSION_TIMEOUT_MS}): a consumer that dies without leaving its group (OOM kill,
     * node loss) holds its partitions until its session expires, and Kafka's 45 s default held a stage
     * that long after each kill (docs/reliability.md, finding 3).
     */
    static final String SESSION_TIMEOUT_MS = "12000";

    /** Quarkus's management interface in every container: probes, scraping and healthchecks. */
    static final int MANAGEMENT_PORT = 9000;

    /** A placeholder without a default (`${NAME}`), i.e. a value the environment must supply. */
    private static final Pattern REQUIRED_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    static PlatformService named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no platform service " + name));
    }

    /** "convert" for convert-service: the stage name in metrics and dead letters. */
    String stage() {
        return name.replace("-service", "");
    }

    /**
     * The variables a container must set: broker (SASL/SCRAM as its own principal) and object store
     * for all, the datasource for the two with a database, token verification for the two with an
     * API (catalog also logs operators in with the code flow), plus every placeholder without a
     * default that the service's application.properties resolves in the prod profile.
     */
    Set<String> requiredEnvironment() {
        Set<String> env = new TreeSet<>(Set.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
                "KAFKA_SASL_JAAS_CONFIG", "CXR_S3_ENDPOINT", "CXR_S3_ACCESS_KEY", "CXR_S3_SECRET_KEY"));
        if (database != null) {
            env.addAll(Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD"));
        }
        if (api) {
            env.addAll(Set.of("QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_CLIENT_ID", "QUARKUS_OIDC_TOKEN_AUDIENCE",
                    "QUARKUS_OIDC_TOKEN_ISSUER"));
        }
        if (consumes()) {
            env.add("KAFKA_SESSION_TIMEOUT_MS");
        }
        if (name.equals("catalog-service")) {
            env.addAll(Set.of("QUARKUS_OIDC_CREDENTIALS_SECRET", "QUARKUS_OIDC_APPLICATION_TYPE"));
        }
        env.addAll(requiredByApplicationProperties());
        return env;
    }

    /**
     * Properties a service's own {@code ConfigSource} defaults (registered under META-INF/services),
     * which a properties file cannot express: the placeholder has no default in the file, yet the
     * environment need not set it.
     */
    private static final java.util.Map<String, String> CODE_DEFAULTS = java.util.Map.of(
            "cxr.convert.workers", "org.cxr.convert.config.WorkersDefault");

    /** Placeholders without default in the values the prod profile sees (unprefixed or %prod.). */
    Set<String> requiredByApplicationProperties() {
        var file = Repo.path(name + "/src/main/resources/application.properties");
        Set<String> env = new TreeSet<>();
        if (!Files.isRegularFile(file)) {
            return env;
        }
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("%") && !key.startsWith("%prod.")) {
                continue;
            }
            Matcher m = REQUIRED_PLACEHOLDER.matcher(props.getProperty(key));
            while (m.find()) {
                if (!defaultedByCode(m.group(1))) {
                    env.add(m.group(1).toUpperCase().replace('.', '_').replace('-', '_'));
                }
            }
        }
        return env;
    }

    /** True when this service registers the ConfigSource that gives {@code property} its default. */
    private boolean defaultedByCode(String property) {
        String source = CODE_DEFAULTS.get(property);
        if (source == null) {
            return false;
        }
        var services = Repo.path(name + "/src/main/resources/META-INF/services/"
                + "org.eclipse.microprofile.config.spi.ConfigSource");
        try {
            return Files.isRegularFile(services) && Files.readAllLines(services).stream()
                    .map(String::strip).anyMatch(source::equals);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether it consumes from Kafka, as the event contract's ACLs say (the launcher asks the same). */
    boolean consumes() {
        return TopicAccess.of(name).map(TopicAccess::consumes).orElse(false);
    }

    String image() {
        return "cxr/" + name;
    }
}
