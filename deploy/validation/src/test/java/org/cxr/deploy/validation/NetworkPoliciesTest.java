package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * The NetworkPolicies evaluated as Kubernetes does (a pod selected by a policy of a direction is
 * isolated in it; a connection needs the source's egress and the destination's ingress), over the
 * overlay's pods and the peers outside the namespace they name. The allowed flows must be exactly
 * the ones of docs/architecture.md plus DNS, scraping, the ingress controller and KEDA.
 */
class NetworkPoliciesTest {
    static final List<String> OVERLAYS = Manifests.OVERLAYS;
    private static final String NAMESPACE = "cxr";

    /** A pod: its workload (or role outside the namespace), namespace and labels. */
    record Pod(String name, String namespace, Map<String, String> labels) {
    }

    /** Peers outside the namespace that the policies name. */
    private static final List<Pod> OUTSIDE = List.of(
            new Pod("ingress-controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")),
            new Pod("cluster-prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")),
            new Pod("keda", "keda", Map.of("app", "keda-operator")),
            new Pod("otel-collector", "observability", Map.of("app.kubernetes.io/name", "otel-collector")),
            new Pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns")),
            new Pod("intruder", "default", Map.of("app.kubernetes.io/name", "kafka-init")));

    private static final int[] PORTS = {53, 443, 2575, 3000, 4317, 5432, 6443, 8080, 8081, 8082, 8083, 8084, 9000, 9001,
            9090, 9092, 9093, 11112};

    private static final Set<String> SERVICE_PODS = Set.of("ingest-service", "ingest-drop-folder", "convert-service",
            "label-service", "catalog-service");

    @Test
    void localOverlayAllowsExactlyTheArchitecturesFlows() {
        Set<String> expected = new TreeSet<>();
        for (String s : SERVICE_PODS) {
            expected.add(s + " -> kafka:9092");
            expected.add(s + " -> minio:9000");
            expected.add("prometheus -> " + s + ":9000");
            expected.add("cluster-prometheus -> " + s + ":9000");
            expected.add(s + " -> otel-collector:4317");
        }
        for (String s : List.of("ingest-service", "ingest-drop-folder", "catalog-service")) {
            expected.add(s + " -> postgres:5432");
            expected.add(s + " -> keycloak:8080");
        }
        // The local Prometheus discovers pods through the API server, whose address differs per cluster:
        // any address outside the namespace on the API server's ports.
        for (Pod outside : OUTSIDE) {
            expected.add("prometheus -> " + outside.name() + ":443");
            expected.add("prometheus -> " + outside.name() + ":6443");
        }
        expected.addAll(List.of("kafka-init -> kafka:9092", "minio-init -> minio:9000", "keda -> kafka:9092",
                "grafana -> prometheus:9090", "ingress-controller -> ingest-service:8081",
                "ingress-controller -> catalog-service:8084"));
        assertFlows("local", expected);
    }

    /** In production the infrastructure is outside (ipBlocks): inside the namespace nobody talks to anybody. */
    @Test
    void productionAllowsNoFlowBetweenPodsOfTheNamespace() {
        Set<String> expected = new TreeSet<>(List.of("ingress-controller -> ingest-service:8081",
                "ingress-controller -> catalog-service:8084"));
        for (String s : SERVICE_PODS) {
            expected.add("cluster-prometheus -> " + s + ":9000");
            expected.add(s + " -> otel-collector:4317");
        }
        assertFlows("production", expected);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everythingIsDeniedByDefaultAndEveryWorkloadHasItsOwnPolicy(String overlay) {
        List<NetworkPolicy> policies = Rendered.all(overlay, NetworkPolicy.class);
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        });
        for (Pod pod : pods(overlay)) {
            assertThat(policies).as(pod.name() + " is selected by a policy of its own (not only the namespace-wide ones)")
                    .anySatisfy(p -> {
                        assertThat(isNamespaceWide(p)).isFalse();
                        assertThat(selects(p.getSpec().getPodSelector(), pod.labels())).isTrue();
                    });
            assertThat(allowed(policies, pod, OUTSIDE.get(4), 53)).as(pod.name() + " resolves names").isTrue();
        }
    }

    @Test
    void theHospitalPortsAreOpenOnlyToTheConfiguredNetworks() {
        for (String overlay : OVERLAYS) {
            NetworkPolicy p = Rendered.named(overlay, NetworkPolicy.class, "ingest-service-ingress");
            List<String> cidrs = new ArrayList<>();
            p.getSpec().getIngress().forEach(rule -> {
                boolean hospital = rule.getPorts().stream().anyMatch(port -> port.getPort().getIntVal() == 11112);
                if (hospital) {
                    assertThat(rule.getFrom()).allSatisfy(peer -> assertThat(peer.getIpBlock()).isNotNull());
                    rule.getFrom().forEach(peer -> cidrs.add(peer.getIpBlock().getCidr()));
                }
            });
            assertThat(cidrs).as(overlay).isNotEmpty().doesNotContain("0.0.0.0/0");
        }
    }

    private static void assertFlows(String overlay, Set<String> expected) {
        Set<String> actual = flows(overlay);
        Set<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        assertThat(unexpected).as(overlay + ": flows the policies allow beyond the architecture's").isEmpty();
        assertThat(missing).as(overlay + ": flows of the architecture the policies block").isEmpty();
    }

    private static Set<String> flows(String overlay) {
        List<NetworkPolicy> policies = Rendered.all(overlay, NetworkPolicy.class);
        List<Pod> everyone = new ArrayList<>(pods(overlay));
        everyone.addAll(OUTSIDE);
        Set<String> flows = new TreeSet<>();
        for (Pod from : everyone) {
            for (Pod to : everyone) {
                if (from == to || (!from.namespace().equals(NAMESPACE) && !to.namespace().equals(NAMESPACE))) {
                    continue;
                }
                for (int port : PORTS) {
                    if (port != 53 && allowed(policies, from, to, port)) {
                        flows.add(from.name() + " -> " + to.name() + ":" + port);
                    }
                }
            }
        }
        return flows;
    }

    private static List<Pod> pods(String overlay) {
        List<Pod> pods = new ArrayList<>();
        Rendered.workloads(overlay).forEach((name, t) -> pods.add(new Pod(name, NAMESPACE, t.getMetadata().getLabels())));
        return pods;
    }

    /** Only pods of this namespace are governed by its policies; peers outside are not modelled (allowed). */
    private static boolean allowed(List<NetworkPolicy> policies, Pod from, Pod to, int port) {
        boolean egress = !from.namespace().equals(NAMESPACE) || direction(policies, from, to, port, "Egress");
        boolean ingress = !to.namespace().equals(NAMESPACE) || direction(policies, to, from, port, "Ingress");
        return egress && ingress;
    }

    /** Whether the policies of {@code subject} let it talk to (egress) or hear from (ingress) {@code peer}. */
    private static boolean direction(List<NetworkPolicy> policies, Pod subject, Pod peer, int port, String type) {
        boolean isolated = false;
        for (NetworkPolicy p : policies) {
            if (!p.getSpec().getPolicyTypes().contains(type) || !selects(p.getSpec().getPodSelector(), subject.labels())) {
                continue;
            }
            isolated = true;
            if (type.equals("Ingress")) {
                for (var rule : p.getSpec().getIngress()) {
                    if (peers(rule.getFrom(), peer) && ports(rule.getPorts(), port)) {
                        return true;
                    }
                }
            } else {
                for (var rule : p.getSpec().getEgress()) {
                    if (peers(rule.getTo(), peer) && ports(rule.getPorts(), port)) {
                        return true;
                    }
                }
            }
        }
        return !isolated;
    }

    private static boolean peers(List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                continue; // addresses outside the cluster: none of the modelled pods
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? pod.namespace().equals(NAMESPACE)
                    : selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", pod.namespace()));
            boolean podMatches = peer.getPodSelector() == null || selects(peer.getPodSelector(), pod.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean ports(List<NetworkPolicyPort> ports, int port) {
        return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p.getPort() == null || p.getPort().getIntVal() == port);
    }

    private static boolean isNamespaceWide(NetworkPolicy p) {
        LabelSelector s = p.getSpec().getPodSelector();
        return (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
