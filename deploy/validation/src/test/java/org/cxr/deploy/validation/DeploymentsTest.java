package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The four services as each overlay deploys them (deploy/k8s/rendered, checked fresh by KustomizeSourcesTest). */
class DeploymentsTest {
    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    /**
     * Secrets production provides itself (docs/deployment.md), with the keys the Deployments read.
     * Every other reference must resolve inside the rendered overlay.
     */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            "cxr-s3", Set.of("access-key", "secret-key"),
            "cxr-ingest", Set.of("db-username", "db-password", "id-secret"),
            "cxr-catalog", Set.of("db-username", "db-password"));

    private static final Map<String, List<HasMetadata>> RENDERED = new HashMap<>();

    static Stream<Arguments> overlayAndService() {
        return OVERLAYS.stream().flatMap(o -> PlatformService.ALL.stream().map(s -> Arguments.of(o, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndService")
    void probesPointAtTheQuarkusHealthEndpointsOnTheServicePort(String overlay, PlatformService svc) {
        Container c = container(overlay, svc);
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(svc.port());
        });
        assertHttpProbe(c.getReadinessProbe(), "/q/health/ready", svc);
        assertHttpProbe(c.getLivenessProbe(), "/q/health/live", svc);
        // Liveness must not kill a JVM that is still starting: a startup probe holds it back.
        assertHttpProbe(c.getStartupProbe(), "/q/health/live", svc);
        assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
                .as("start-up allowance (s)").isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndService")
    void requestsAndLimitsAreSetAndTheHeapFitsTheLimit(String overlay, PlatformService svc) {
        Container c = container(overlay, svc);
        var requests = c.getResources().getRequests();
        var limits = c.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(limits.get("memory").getNumericalAmount()).isGreaterThanOrEqualTo(requests.get("memory").getNumericalAmount());
        assertThat(limits.get("cpu").getNumericalAmount()).isGreaterThanOrEqualTo(requests.get("cpu").getNumericalAmount());
        // The image sizes the heap from the memory limit (-XX:MaxRAMPercentage): no fixed -Xmx here.
        assertThat(c.getEnv()).noneSatisfy(e -> assertThat(e.getValue()).contains("-Xmx"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndService")
    void runsAsNonRootOnAReadOnlyRootWithAWritableTmp(String overlay, PlatformService svc) {
        PodSpec pod = deployment(overlay, svc).getSpec().getTemplate().getSpec();
        Container c = container(overlay, svc);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).as("service links would leak KAFKA_* variables into the Kafka config").isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        String tmpVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow(() -> new AssertionError("no /tmp mount")).getName();
        assertThat(volume(pod, tmpVolume).getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndService")
    void everyRequiredVariableIsSetFromAnExistingKey(String overlay, PlatformService svc) {
        Container c = container(overlay, svc);
        Map<String, String> provided = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            provided.put(e.getName(), describe(overlay, e));
        }
        for (var from : c.getEnvFrom()) {
            assertThat(from.getConfigMapRef()).as("envFrom only from ConfigMaps").isNotNull();
            configMap(overlay, from.getConfigMapRef().getName()).getData().keySet()
                    .forEach(k -> provided.putIfAbsent(k, "configMap " + from.getConfigMapRef().getName()));
        }
        assertThat(provided.keySet()).as(overlay + " " + svc.name() + " environment").containsAll(svc.requiredEnvironment());
        provided.forEach((k, v) -> assertThat(v).as(k).doesNotStartWith("MISSING"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndService")
    void isScrapedAndReachableThroughItsService(String overlay, PlatformService svc) {
        Deployment d = deployment(overlay, svc);
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(svc.port()))
                .containsEntry("prometheus.io/path", "/q/metrics");
        Service service = named(overlay, Service.class, svc.name());
        assertThat(service.getSpec().getSelector()).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(svc.port());
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
        });
        PodDisruptionBudget pdb = named(overlay, PodDisruptionBudget.class, svc.name());
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(container(overlay, svc).getImage()).matches(svc.image() + ":[\\w.-]+");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void autoscaledDeploymentsLeaveReplicasToTheirAutoscaler(String overlay) {
        Set<String> scaled = new TreeSet<>();
        for (HorizontalPodAutoscaler hpa : all(overlay, HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertThat(target.getKind()).isEqualTo("Deployment");
            Deployment d = named(overlay, Deployment.class, target.getName());
            assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName() + " replicas (set by the HPA)").isNull();
            assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            assertThat(hpa.getSpec().getMetrics()).isNotEmpty();
            scaled.add(target.getName());
        }
        assertThat(scaled).containsExactly("convert-service", "label-service");
    }

    /**
     * A consumer replica beyond the partition count of its topic gets no partition and idles: the
     * autoscalers stop at the partition count of the brokers shipped here (local overlay, compose).
     * Production's topics are sized by the operator (docs/deployment.md).
     */
    @Test
    void autoscalersStopAtThePartitionCountOfTheShippedBrokers() {
        StatefulSet kafka = named("local", StatefulSet.class, "kafka");
        int local = Integer.parseInt(kafka.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("KAFKA_NUM_PARTITIONS")).findFirst().orElseThrow().getValue());
        int compose = Integer.parseInt(DockerComposeTest.environmentOf("kafka").get("KAFKA_NUM_PARTITIONS"));
        List<HorizontalPodAutoscaler> hpas = all("local", HorizontalPodAutoscaler.class);
        assertThat(hpas).isNotEmpty();
        for (HorizontalPodAutoscaler hpa : hpas) {
            assertThat(hpa.getSpec().getMaxReplicas()).as(hpa.getMetadata().getName())
                    .isLessThanOrEqualTo(local).isLessThanOrEqualTo(compose);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingestWatchesADropFolderOnAPersistentVolume(String overlay) {
        PlatformService ingest = PlatformService.ALL.get(0);
        Deployment d = deployment(overlay, ingest);
        Container c = container(overlay, ingest);
        String folder = c.getEnv().stream().filter(e -> e.getName().equals("CXR_INGEST_DROP_FOLDER")).findFirst()
                .orElseThrow().getValue();
        String volumeName = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(folder)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + folder)).getName();
        String claim = volume(d.getSpec().getTemplate().getSpec(), volumeName).getPersistentVolumeClaim().getClaimName();
        assertThat(named(overlay, PersistentVolumeClaim.class, claim).getSpec().getAccessModes()).contains("ReadWriteOnce");
        // A ReadWriteOnce volume and one watcher: never two pods at once, not even during a rollout.
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isNotNull();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theDashboardShipsAsAConfigMapFromTheSameJson(String overlay) {
        ConfigMap dashboards = all(overlay, ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().startsWith("cxr-grafana-dashboards-")).findFirst().orElseThrow();
        assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(Yaml.MAPPER.readTree(dashboards.getData().get("cxr-platform.json")))
                .isEqualTo(Yaml.MAPPER.readTree(Repo.read("deploy/monitoring/grafana/dashboards/cxr-platform.json")));
    }

    @Test
    void localPostgresCreatesTheDatabasesTheServicesUse() {
        ConfigMap init = all("local", ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().startsWith("postgres-init-")).findFirst().orElseThrow();
        String sql = String.join("\n", init.getData().values());
        for (PlatformService svc : PlatformService.ALL) {
            if (svc.database() != null) {
                assertThat(sql).contains("CREATE DATABASE " + svc.database() + ";");
                String url = configMap("local", "cxr-datasources").getData().get(svc.database() + "-jdbc-url");
                assertThat(url).isEqualTo("jdbc:postgresql://postgres:5432/" + svc.database());
            }
        }
    }

    /** Where a variable's value comes from, or "MISSING ..." when that source does not exist. */
    private static String describe(String overlay, EnvVar e) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null || e.getValue().isBlank() ? "MISSING value" : "value";
        }
        var cmRef = e.getValueFrom().getConfigMapKeyRef();
        if (cmRef != null) {
            return configMap(overlay, cmRef.getName()).getData().containsKey(cmRef.getKey())
                    ? "configMap " + cmRef.getName() : "MISSING key " + cmRef.getKey() + " in " + cmRef.getName();
        }
        var secretRef = e.getValueFrom().getSecretKeyRef();
        if (secretRef != null) {
            List<Secret> secrets = all(overlay, Secret.class).stream()
                    .filter(s -> baseName(s).equals(baseName(secretRef.getName()))).toList();
            Set<String> keys = secrets.isEmpty()
                    ? EXTERNAL_SECRETS.getOrDefault(secretRef.getName(), Set.of())
                    : secrets.get(0).getData().keySet();
            return keys.contains(secretRef.getKey())
                    ? "secret " + secretRef.getName() : "MISSING key " + secretRef.getKey() + " in " + secretRef.getName();
        }
        return "MISSING source";
    }

    /** A generated ConfigMap or Secret is named base-hash; references to it are rewritten to that name. */
    private static ConfigMap configMap(String overlay, String name) {
        return all(overlay, ConfigMap.class).stream().filter(cm -> baseName(cm).equals(baseName(name))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }

    private static String baseName(HasMetadata r) {
        return baseName(r.getMetadata().getName());
    }

    private static String baseName(String name) {
        return name.replaceFirst("-[a-z0-9]{10}$", "");
    }

    private static void assertHttpProbe(Probe probe, String path, PlatformService svc) {
        assertThat(probe).as(path + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isIn(new IntOrString("http"), new IntOrString(svc.port()));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Container container(String overlay, PlatformService svc) {
        List<Container> containers = deployment(overlay, svc).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Deployment deployment(String overlay, PlatformService svc) {
        return named(overlay, Deployment.class, svc.name());
    }

    private static <T extends HasMetadata> T named(String overlay, Class<T> type, String name) {
        return all(overlay, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + type.getSimpleName() + " " + name));
    }

    private static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (HasMetadata r : RENDERED.computeIfAbsent(overlay, Manifests::rendered)) {
            if (type.isInstance(r)) {
                found.add(type.cast(r));
            }
        }
        return found;
    }
}
