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
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The four services as each overlay deploys them: probes on the management port, limits, security
 * context, every variable from an existing key, PDBs that protect something, autoscaling, the
 * drop-folder watcher, and no credential in the rendered manifests.
 */
class DeploymentsTest {
    static final List<String> OVERLAYS = Manifests.OVERLAYS;

    static Stream<Arguments> overlayAndDeployment() {
        return OVERLAYS.stream().flatMap(o -> Rendered.platformDeployments(o).stream()
                .map(d -> Arguments.of(o, d.getMetadata().getName())));
    }

    @Test
    void eachOverlayRunsTheFourServicesAndTheDropFolderWatcher() {
        for (String overlay : OVERLAYS) {
            assertThat(Rendered.platformDeployments(overlay)).extracting(d -> d.getMetadata().getName())
                    .containsExactlyInAnyOrder("ingest-service", "ingest-drop-folder", "convert-service", "label-service",
                            "catalog-service");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndDeployment")
    void probesAreOnTheManagementPortAndOnlyAnApiExposesThePublicPort(String overlay, String deployment) {
        Deployment d = Rendered.named(overlay, Deployment.class, deployment);
        PlatformService svc = PlatformService.named(Rendered.serviceOf(d));
        Container c = container(d);
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getContainerPort()).isEqualTo(PlatformService.MANAGEMENT_PORT);
        });
        boolean servesApi = svc.api() && !deployment.equals("ingest-drop-folder");
        assertThat(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == svc.port()))
                .as("public port %d exposed", svc.port()).isEqualTo(servesApi);
        assertManagementProbe(c.getReadinessProbe(), "/q/health/ready");
        assertManagementProbe(c.getLivenessProbe(), "/q/health/live");
        // Liveness must not kill a JVM that is still starting: a startup probe holds it back.
        assertManagementProbe(c.getStartupProbe(), "/q/health/live");
        assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
                .as("start-up allowance (s)").isGreaterThanOrEqualTo(60);
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(PlatformService.MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndDeployment")
    void requestsAndLimitsAreSetAndTheHeapFitsTheLimit(String overlay, String deployment) {
        Container c = container(Rendered.named(overlay, Deployment.class, deployment));
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
    @MethodSource("overlayAndDeployment")
    void runsAsNonRootOnAReadOnlyRootWithAWritableTmp(String overlay, String deployment) {
        Deployment d = Rendered.named(overlay, Deployment.class, deployment);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = container(d);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).as("service links would leak KAFKA_* variables into the Kafka config").isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        String tmpVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow(() -> new AssertionError("no /tmp mount")).getName();
        assertThat(volume(pod, tmpVolume).getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    }

    /** The namespace enforces the restricted Pod Security Standard: every pod of every overlay meets it. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodMeetsTheRestrictedPodSecurityStandard(String overlay) {
        var ns = Rendered.named(overlay, io.fabric8.kubernetes.api.model.Namespace.class, "cxr");
        assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        Rendered.workloads(overlay).forEach((name, template) -> {
            PodSpec pod = template.getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name + " seccomp").isEqualTo("RuntimeDefault");
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name + " privilege escalation").isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name + " capabilities").containsExactly("ALL");
                assertThat(c.getResources().getLimits()).as(name + " memory limit").containsKey("memory");
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndDeployment")
    void everyRequiredVariableIsSetFromAnExistingKey(String overlay, String deployment) {
        Deployment d = Rendered.named(overlay, Deployment.class, deployment);
        PlatformService svc = PlatformService.named(Rendered.serviceOf(d));
        Map<String, String> provided = provided(overlay, container(d));
        assertThat(provided.keySet()).as(overlay + " " + deployment + " environment").containsAll(svc.requiredEnvironment());
        provided.forEach((k, v) -> assertThat(v).as(k).doesNotStartWith("MISSING"));
        if (svc.consumes()) {
            assertThat(env(container(d), "KAFKA_SESSION_TIMEOUT_MS").getValue()).as(overlay + " " + deployment)
                    .isEqualTo(PlatformService.SESSION_TIMEOUT_MS);
        }
    }

    /** Each service logs in to Kafka as its own principal, with its own Secret: no shared credential. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("overlayAndDeployment")
    void eachServiceUsesItsOwnCredentials(String overlay, String deployment) {
        Deployment d = Rendered.named(overlay, Deployment.class, deployment);
        String service = Rendered.serviceOf(d);
        String own = "cxr-" + PlatformService.named(service).stage();
        Container c = container(d);
        assertThat(env(c, "KAFKA_SASL_JAAS_CONFIG").getValue())
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                .contains("username=\"" + service + "\"").contains("password=\"$(CXR_KAFKA_PASSWORD)\"");
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(deployment + " " + e.getName())
                        .isIn(own, "cxr-oidc");
            }
        }
        assertThat(Tables.principals()).containsKey(service);
    }

    /** No overlay ships a Secret: production's come from the operator, the local ones from a script. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noSecretIsShippedAndEveryReferenceIsInTheSecretTable(String overlay) {
        assertThat(Rendered.all(overlay, Secret.class)).as(overlay + " renders no Secret").isEmpty();
        Map<String, Set<String>> table = Tables.kubernetesSecrets();
        Set<String> used = new TreeSet<>();
        Rendered.workloads(overlay).values().forEach(t -> t.getSpec().getContainers().forEach(c -> c.getEnv().forEach(e -> {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                assertThat(table.getOrDefault(ref.getName(), Set.of())).as(ref.getName() + "/" + ref.getKey())
                        .contains(ref.getKey());
                used.add(ref.getName());
            }
        })));
        for (Keda.TriggerAuthentication ta : Rendered.all(overlay, Keda.TriggerAuthentication.class)) {
            ta.spec().secretTargetRef().forEach(ref -> {
                assertThat(table.getOrDefault(ref.name(), Set.of())).as(ref.name() + "/" + ref.key()).contains(ref.key());
                used.add(ref.name());
            });
        }
        // The table is the local overlay's, which uses every entry; cxr-tls (the Ingress certificate) is a TLS
        // Secret from cert-manager or the operator, not in the table.
        if (overlay.equals("local")) {
            assertThat(table.keySet()).as("every Secret of the table is used").isSubsetOf(used);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void pdbsSelectEveryPlatformDeploymentAndProtectSomething(String overlay) {
        List<PodDisruptionBudget> pdbs = Rendered.all(overlay, PodDisruptionBudget.class);
        for (Deployment d : Rendered.platformDeployments(overlay)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            List<PodDisruptionBudget> selecting = pdbs.stream()
                    .filter(p -> labels.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            assertThat(selecting).as(d.getMetadata().getName() + ": exactly one PDB").hasSize(1);
            PodDisruptionBudget pdb = selecting.get(0);
            int minReplicas = minReplicas(overlay, d);
            if (pdb.getSpec().getMinAvailable() != null) {
                int minAvailable = pdb.getSpec().getMinAvailable().getIntVal();
                // Protects (keeps one serving) yet lets a drain through (one may go).
                assertThat(minAvailable).as(d.getMetadata().getName() + " minAvailable").isPositive();
                assertThat(minReplicas).as(d.getMetadata().getName() + " min replicas > minAvailable")
                        .isGreaterThan(minAvailable);
            } else {
                assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            }
        }
        // The entry point is protected in every overlay: uploads continue through a drain.
        PodDisruptionBudget ingest = Rendered.named(overlay, PodDisruptionBudget.class, "ingest-service");
        assertThat(ingest.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void ingestRollsOutWithoutDowntimeAndScalesOnCpu(String overlay) {
        Deployment api = Rendered.named(overlay, Deployment.class, "ingest-service");
        assertThat(api.getSpec().getReplicas()).as("replicas come from the HPA").isNull();
        assertThat(api.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(api.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        assertThat(container(api).getEnv()).as("the API pods do not watch the drop folder")
                .noneSatisfy(e -> assertThat(e.getName()).isEqualTo("CXR_INGEST_DROP_FOLDER"));
        HorizontalPodAutoscaler hpa = Rendered.named(overlay, HorizontalPodAutoscaler.class, "ingest-service");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("ingest-service");
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
        assertThat(Rendered.all(overlay, HorizontalPodAutoscaler.class)).as("the only plain HPA: the others are KEDA's")
                .hasSize(1);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void oneDropFolderWatcherOnAPersistentVolume(String overlay) {
        Deployment d = Rendered.named(overlay, Deployment.class, "ingest-drop-folder");
        Container c = container(d);
        String folder = env(c, "CXR_INGEST_DROP_FOLDER").getValue();
        String volumeName = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(folder)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + folder)).getName();
        String claim = volume(d.getSpec().getTemplate().getSpec(), volumeName).getPersistentVolumeClaim().getClaimName();
        assertThat(Rendered.named(overlay, PersistentVolumeClaim.class, claim).getSpec().getAccessModes()).contains("ReadWriteOnce");
        // A ReadWriteOnce volume and one watcher: never two pods at once, not even during a rollout.
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup()).isNotNull();
        Map<String, String> watcher = d.getSpec().getTemplate().getMetadata().getLabels();
        for (Service s : Rendered.all(overlay, Service.class)) {
            boolean selects = watcher.entrySet().containsAll(s.getSpec().getSelector().entrySet());
            boolean metricsOnly = "true".equals(s.getMetadata().getLabels().get("cxr.org/metrics"));
            assertThat(selects && !metricsOnly).as(s.getMetadata().getName() + " sends the watcher requests").isFalse();
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void servicesReachThePodsOnNamedPorts(String overlay) {
        for (Service s : Rendered.all(overlay, Service.class)) {
            List<PodTemplateSpec> selected = Rendered.workloads(overlay).values().stream()
                    .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .toList();
            assertThat(selected).as(s.getMetadata().getName() + " selects pods").isNotEmpty();
            for (var port : s.getSpec().getPorts()) {
                String target = port.getTargetPort().getStrVal();
                assertThat(target).as(s.getMetadata().getName() + " targets a named port").isNotNull();
                for (PodTemplateSpec t : selected) {
                    assertThat(t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream()).map(ContainerPort::getName))
                            .as(s.getMetadata().getName() + " → port " + target).contains(target);
                }
            }
        }
        // Prometheus Operator scrapes the management port of every service through these.
        Set<String> scraped = new TreeSet<>();
        Rendered.all(overlay, Service.class).stream()
                .filter(s -> "true".equals(s.getMetadata().getLabels().get("cxr.org/metrics")))
                .forEach(s -> {
                    assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
                        assertThat(p.getName()).isEqualTo("management");
                        assertThat(p.getPort()).isEqualTo(PlatformService.MANAGEMENT_PORT);
                    });
                    scraped.add(s.getSpec().getSelector().get("app.kubernetes.io/name"));
                });
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(PlatformService.ALL.stream().map(PlatformService::name).toList());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theDashboardShipsAsAConfigMapFromTheSameJson(String overlay) {
        ConfigMap dashboards = Rendered.configMap(overlay, "cxr-grafana-dashboards");
        assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(Yaml.MAPPER.readTree(dashboards.getData().get("cxr-platform.json")))
                .isEqualTo(Yaml.MAPPER.readTree(Repo.read("deploy/monitoring/grafana/dashboards/cxr-platform.json")));
    }

    @Test
    void localPostgresCreatesOneRoleAndDatabasePerService() {
        String sql = String.join("\n", Rendered.configMap("local", "postgres-init").getData().values());
        for (PlatformService svc : PlatformService.ALL) {
            if (svc.database() != null) {
                assertThat(sql).contains("CREATE DATABASE " + svc.database() + " OWNER cxr_" + svc.database() + ";");
                String url = Rendered.configMap("local", "cxr-datasources").getData().get(svc.database() + "-jdbc-url");
                assertThat(url).isEqualTo("jdbc:postgresql://postgres:5432/" + svc.database());
            }
        }
    }

    /** Production verifies the database server's certificate and host name, with a CA the pods have. */
    @Test
    void productionConnectsToPostgresWithVerifyFull() {
        ConfigMap urls = Rendered.configMap("production", "cxr-datasources");
        for (Deployment d : Rendered.platformDeployments("production")) {
            Container c = container(d);
            EnvVar jdbc = c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_JDBC_URL")).findFirst().orElse(null);
            if (jdbc == null) {
                continue;
            }
            String url = urls.getData().get(jdbc.getValueFrom().getConfigMapKeyRef().getKey());
            assertThat(url).contains("sslmode=verify-full");
            String rootCert = url.replaceFirst(".*sslrootcert=([^&]+).*", "$1");
            assertThat(c.getVolumeMounts()).as(d.getMetadata().getName() + " has the CA at " + rootCert)
                    .anySatisfy(m -> assertThat(rootCert).startsWith(m.getMountPath() + "/"));
        }
    }

    private static int minReplicas(String overlay, Deployment d) {
        if (d.getSpec().getReplicas() != null) {
            return d.getSpec().getReplicas();
        }
        String name = d.getMetadata().getName();
        for (HorizontalPodAutoscaler hpa : Rendered.all(overlay, HorizontalPodAutoscaler.class)) {
            if (hpa.getSpec().getScaleTargetRef().getName().equals(name)) {
                return hpa.getSpec().getMinReplicas();
            }
        }
        for (Keda.ScaledObject so : Rendered.all(overlay, Keda.ScaledObject.class)) {
            if (so.spec().scaleTargetRef().name().equals(name)) {
                return so.spec().minReplicaCount();
            }
        }
        throw new AssertionError(name + " has neither replicas nor an autoscaler");
    }

    /** Variable → where its value comes from, or "MISSING ..." when that source does not exist. */
    private static Map<String, String> provided(String overlay, Container c) {
        Map<String, String> provided = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            provided.put(e.getName(), describe(overlay, e));
        }
        for (var from : c.getEnvFrom()) {
            assertThat(from.getConfigMapRef()).as("envFrom only from ConfigMaps").isNotNull();
            Rendered.configMap(overlay, from.getConfigMapRef().getName()).getData().keySet()
                    .forEach(k -> provided.putIfAbsent(k, "configMap " + from.getConfigMapRef().getName()));
        }
        return provided;
    }

    private static String describe(String overlay, EnvVar e) {
        if (e.getValueFrom() == null) {
            return e.getValue() == null || e.getValue().isBlank() ? "MISSING value" : "value";
        }
        var cmRef = e.getValueFrom().getConfigMapKeyRef();
        if (cmRef != null) {
            return Rendered.configMap(overlay, cmRef.getName()).getData().containsKey(cmRef.getKey())
                    ? "configMap " + cmRef.getName() : "MISSING key " + cmRef.getKey() + " in " + cmRef.getName();
        }
        var secretRef = e.getValueFrom().getSecretKeyRef();
        if (secretRef != null) {
            return Tables.kubernetesSecrets().getOrDefault(secretRef.getName(), Set.of()).contains(secretRef.getKey())
                    ? "secret " + secretRef.getName() : "MISSING key " + secretRef.getKey() + " in " + secretRef.getName();
        }
        return "MISSING source";
    }

    private static void assertManagementProbe(Probe probe, String path) {
        assertThat(probe).as(path + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isIn(new IntOrString("management"),
                new IntOrString(PlatformService.MANAGEMENT_PORT));
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no " + name));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static Container container(Deployment d) {
        List<Container> containers = new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }
}
