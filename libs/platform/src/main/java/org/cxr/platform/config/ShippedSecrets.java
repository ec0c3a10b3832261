package org.cxr.platform.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which configured secrets must not be used in production: the values this repository ships as
 * defaults (docker-compose, the Kubernetes local overlay, application.properties, the local
 * launcher's former fixed keys) and anything shorter than {@link #MIN_LENGTH}. Messages name the
 * setting, never its value.
 */
public final class ShippedSecrets {
    /** Shorter secrets are refused: every generated one is 32+ characters. */
    public static final int MIN_LENGTH = 16;

    /**
     * Every default secret found in the repository (compared ignoring case). Values containing
     * {@code change-me}/{@code changeme} are refused as well, whatever their length.
     */
    static final Set<String> SHIPPED = Set.of("minioadmin", "postgres", "cxr", "admin", "cxr-local",
            "cxr-local-secret", "password", "secret", "changeme");

    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");
    /**
     * The settings that hold secrets: ours ({@code cxr.*} ending in secret, secret-key or password),
     * the datasources' passwords, the OIDC client secrets and the Kafka JAAS configuration. Other
     * settings (Quarkus's own defaults such as {@code quarkus.http.auth.form.password.parameter},
     * unrelated environment variables) are not looked at.
     */
    private static final Pattern SECRET_NAME = Pattern.compile("kafka\\.sasl\\.jaas\\.config"
            + "|cxr\\..*(secret|secret\\.key|password)"
            + "|quarkus\\.datasource\\.([^.]+\\.)?password"
            + "|quarkus\\.oidc\\.([^.]+\\.)?credentials\\.(secret|client\\.secret\\.value|jwt\\.secret)");

    private ShippedSecrets() {
    }

    /** Whether a configuration property (any spelling: {@code a.b-c} or {@code A_B_C}) holds a secret. */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(normalize(name)).matches();
    }

    /** {@code QUARKUS_DATASOURCE_PASSWORD} and {@code quarkus.datasource.password} are the same setting. */
    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.').replace("\"", "");
    }

    /** The secret a value carries: a JAAS configuration's password, else the value itself. */
    static String secretOf(String normalizedName, String value) {
        if (normalizedName.equals("kafka.sasl.jaas.config")) {
            Matcher m = JAAS_PASSWORD.matcher(value);
            return m.find() ? m.group(1) : null;
        }
        return value;
    }

    /** One line per setting whose secret the repository ships or that is too short; empty when all are fine. */
    public static List<String> problems(Map<String, String> secrets) {
        List<String> problems = new ArrayList<>();
        secrets.forEach((name, value) -> {
            String secret = value == null ? null : secretOf(normalize(name), value);
            if (secret == null) {
                return;
            }
            String lower = secret.toLowerCase(Locale.ROOT);
            if (SHIPPED.contains(lower) || lower.contains("change-me") || lower.contains("changeme")) {
                problems.add(name + " is a default that this repository ships");
            } else if (secret.length() < MIN_LENGTH) {
                problems.add(name + " is shorter than " + MIN_LENGTH + " characters");
            }
        });
        return problems;
    }
}
