package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The deployment's shell scripts parse in the shell they are run with, and are executable. */
class ScriptsTest {
    static final List<String> SCRIPTS = List.of("deploy/compose/generate-env.sh", "deploy/compose/kafka/start-broker.sh",
            "deploy/compose/kafka/init-kafka.sh", "deploy/compose/minio/init-minio.sh",
            "deploy/compose/postgres/init-databases.sh", "deploy/keycloak/load-local-test-users.sh",
            "deploy/k8s/scripts/create-local-secrets.sh", "deploy/k8s/scripts/render-manifests.sh",
            "deploy/k8s/scripts/generate-dockerfiles.sh");

    @ParameterizedTest
    @FieldSource("SCRIPTS")
    void parsesAndIsExecutable(String script) {
        String shell = Repo.read(script).startsWith("#!/bin/sh") ? "sh" : "bash";
        Tools.Result r = Tools.run(List.of(shell, "-n", script));
        assertThat(r.exitCode()).as(shell + " -n " + script + ": " + r.stderr()).isZero();
        // The postgres image runs an init script only when it is executable (it sources it otherwise).
        assertThat(Files.isExecutable(Repo.path(script))).as(script + " executable").isTrue();
    }
}
