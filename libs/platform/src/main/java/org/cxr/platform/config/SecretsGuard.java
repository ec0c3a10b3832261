package org.cxr.platform.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.cxr.platform.storage.S3Config;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Every service's start-up check: outside dev and test (the packaged service, prod profile), a
 * service refuses to start with a secret this repository ships or a short one
 * ({@link ShippedSecrets}), so that no default that anyone can read here ever works in production.
 * It runs before the other start-up observers, so nothing connects anywhere with such a secret.
 */
@ApplicationScoped
public class SecretsGuard {
    private static final Logger LOG = Logger.getLogger(SecretsGuard.class);

    void check(@Observes @Priority(1) StartupEvent ev, Config config, S3Config s3) {
        if (LaunchMode.current().isDevOrTest()) {
            return;
        }
        List<String> problems = ShippedSecrets.problems(secrets(config, s3));
        if (!problems.isEmpty()) {
            String message = "refusing to start with secrets anyone can read in the repository: "
                    + String.join("; ", problems) + ". Set your own (docs/security.md).";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    /**
     * Every configured secret by normalized name, plus the S3 secret key (its built-in default is
     * not among the configured names).
     */
    static Map<String, String> secrets(Config config, S3Config s3) {
        Map<String, String> secrets = new TreeMap<>();
        secrets.put(ShippedSecrets.normalize("cxr.s3.secret-key"), s3.secretKey());
        for (String name : config.getPropertyNames()) { // "%test.x" is another profile's setting
            String key = ShippedSecrets.normalize(name);
            if (!name.startsWith("%") && ShippedSecrets.isSecretName(name) && !secrets.containsKey(key)) {
                try {
                    config.getOptionalValue(name, String.class).ifPresent(v -> secrets.put(key, v));
                } catch (RuntimeException e) {
                    secrets.put(key, ""); // an expression that does not resolve: no usable secret either
                }
            }
        }
        return secrets;
    }
}
