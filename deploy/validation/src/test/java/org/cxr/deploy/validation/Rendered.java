package org.cxr.deploy.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** One overlay's rendering (deploy/k8s/rendered, kept fresh by KustomizeSourcesTest), parsed strictly once. */
final class Rendered {
    private static final Map<String, List<HasMetadata>> CACHE = new HashMap<>();

    private Rendered() {
    }

    static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
        List<HasMetadata> resources;
        synchronized (CACHE) {
            resources = CACHE.computeIfAbsent(overlay, Manifests::rendered);
        }
        List<T> found = new ArrayList<>();
        for (HasMetadata r : resources) {
            if (type.isInstance(r)) {
                found.add(type.cast(r));
            }
        }
        return found;
    }

    static <T extends HasMetadata> T named(String overlay, Class<T> type, String name) {
        return all(overlay, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + type.getSimpleName() + " " + name));
    }

    /** A generated ConfigMap is named base-hash; references to it are rewritten to that name, tests use the base. */
    static ConfigMap configMap(String overlay, String name) {
        return all(overlay, ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals(name) || baseName(cm.getMetadata().getName()).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }

    /** The name a kustomize generator was given, from the name with its hash (or without). */
    static String baseName(String name) {
        return name.replaceFirst("-[a-z0-9]{10}$", "");
    }

    /** Every workload (Deployment, StatefulSet, Job) of the overlay by name, with its pod template. */
    static Map<String, PodTemplateSpec> workloads(String overlay) {
        Map<String, PodTemplateSpec> pods = new java.util.TreeMap<>();
        all(overlay, Deployment.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        all(overlay, StatefulSet.class).forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        all(overlay, Job.class).forEach(j -> pods.put(j.getMetadata().getName(), j.getSpec().getTemplate()));
        return pods;
    }

    /** The Deployments running one of the four services (ingest has two: the API and the drop-folder watcher). */
    static List<Deployment> platformDeployments(String overlay) {
        return all(overlay, Deployment.class).stream()
                .filter(d -> PlatformService.ALL.stream().anyMatch(s -> s.name().equals(serviceOf(d))))
                .toList();
    }

    static String serviceOf(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name");
    }
}
