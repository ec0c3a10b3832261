package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * The Kustomize sources: every resource file and patch is a valid manifest, every file a
 * kustomization names exists, and deploy/k8s/rendered is what the sources render to.
 */
class KustomizeSourcesTest {
    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    static List<String> resourceFiles() {
        return Manifests.sourceResourceFiles();
    }

    @ParameterizedTest
    @MethodSource("resourceFiles")
    void resourceFileIsAValidManifest(String file) {
        assertThat(StrictKubernetes.parse(Repo.read(file), file)).isNotEmpty();
    }

    @Test
    void everyFileAKustomizationNamesExists() {
        List<String> missing = new ArrayList<>();
        for (String k : Manifests.kustomizations()) {
            Path dir = Repo.path(k).getParent();
            JsonNode kustomization = Yaml.tree(k);
            List<String> refs = new ArrayList<>();
            kustomization.path("resources").values().forEach(r -> refs.add(r.asString()));
            kustomization.path("patches").values().forEach(p -> refs.add(p.path("path").asString()));
            for (String generator : List.of("configMapGenerator", "secretGenerator")) {
                for (JsonNode g : kustomization.path(generator)) {
                    g.path("envs").values().forEach(e -> refs.add(e.asString()));
                    // files: [key=]path
                    g.path("files").values().forEach(f -> refs.add(f.asString().substring(f.asString().indexOf('=') + 1)));
                }
            }
            for (String ref : refs) {
                if (!dir.resolve(ref).toFile().exists()) {
                    missing.add(k + " → " + ref);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void renderedManifestsAreUpToDateWithTheirSources(String overlay) {
        assertThat(Manifests.recordedDigest(overlay))
                .as(Manifests.renderedPath(overlay) + " is stale: run deploy/k8s/scripts/render-manifests.sh")
                .contains(Manifests.sourceDigest());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kubectlRendersWhatIsCommitted(String overlay) {
        Optional<Path> kubectl = Tools.find("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not installed: skipping `kubectl kustomize`; the committed "
                + "rendering is still checked against its source digest and parsed");
        // Debian's kubernetes-client 1.20 bundles kustomize 2, which lacks fields used here (labels:).
        String version = Tools.run(List.of(kubectl.get().toString(), "version", "--client")).stdout();
        Matcher kustomize = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version);
        assumeTrue(kustomize.find() && Integer.parseInt(kustomize.group(1)) >= 5,
                "kubectl's kustomize is older than v5 (" + version.strip() + "): skipping `kubectl kustomize`");
        Tools.Result r = Tools.run(List.of(kubectl.get().toString(), "kustomize", "deploy/k8s/overlays/" + overlay));
        assertThat(r.exitCode()).as("kubectl kustomize: " + r.stderr()).isZero();
        // Compared as data, so that another kustomize version's formatting does not matter.
        assertThat(Yaml.documents(r.stdout()))
                .as(Manifests.renderedPath(overlay) + " differs from kubectl kustomize: run deploy/k8s/scripts/render-manifests.sh")
                .isEqualTo(Yaml.documents(Repo.read(Manifests.renderedPath(overlay))));
        StrictKubernetes.parse(r.stdout(), "kubectl kustomize " + overlay);
    }
}
