package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The strict reader itself: the manifest checks are only worth something if it rejects mistakes. */
class StrictKubernetesTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s:
                        httpGet: {path: /q/health/ready, port: 8080}
                      resources:
                        limits: {memory: 1Gi}
            """;

    @Test
    void readsAValidManifestIntoTheModel() {
        List<HasMetadata> parsed = StrictKubernetes.parse(DEPLOYMENT.formatted("readinessProbe"), "test");
        Deployment d = (Deployment) parsed.get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/ready");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
                .hasToString("1Gi");
    }

    @Test
    void rejectsAMisspelledField() {
        assertThatThrownBy(() -> StrictKubernetes.parse(DEPLOYMENT.formatted("readinesProbe"), "test"))
                .hasMessageContaining("readinesProbe");
    }

    @Test
    void rejectsAKindItHasNoModelFor() {
        String certificate = """
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: demo}
                """;
        assertThatThrownBy(() -> StrictKubernetes.parse(certificate, "test")).hasMessageContaining("Certificate");
    }

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: demo}
            spec:
              scaleTargetRef: {name: demo}
              minReplicaCount: 1
              %s: 4
              triggers:
                - type: kafka
                  metadata: {bootstrapServers: "kafka:9092", consumerGroup: demo, lagThreshold: %s}
                  authenticationRef: {name: kafka}
            """;

    @Test
    void readsAKedaScaledObject() {
        var so = (Keda.ScaledObject) StrictKubernetes.parse(SCALED_OBJECT.formatted("maxReplicaCount", "\"20\""), "test").get(0);
        assertThat(so.spec().maxReplicaCount()).isEqualTo(4);
        assertThat(so.spec().triggers().get(0).metadata()).containsEntry("lagThreshold", "20");
        assertThat(so.getMetadata().getName()).isEqualTo("demo");
    }

    @Test
    void rejectsAMisspelledKedaFieldAndANumberInTriggerMetadata() {
        assertThatThrownBy(() -> StrictKubernetes.parse(SCALED_OBJECT.formatted("maxReplicas", "\"20\""), "test"))
                .hasMessageContaining("maxReplicas");
        assertThatThrownBy(() -> StrictKubernetes.parse(SCALED_OBJECT.formatted("maxReplicaCount", "20"), "test"))
                .hasMessageContaining("lagThreshold must be a string");
    }

    @Test
    void rejectsAMisspelledServiceMonitorField() {
        String serviceMonitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: demo}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints:
                    - port: management
                      metricRelabelings:
                        - sourceLabel: [__name__]
                """;
        assertThatThrownBy(() -> StrictKubernetes.parse(serviceMonitor, "test")).hasMessageContaining("sourceLabel");
    }

    @Test
    void rejectsAWrongApiVersion() {
        String hpa = """
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: demo}
                """;
        assertThatThrownBy(() -> StrictKubernetes.parse(hpa, "test")).hasMessageContaining("expected autoscaling/v2");
    }
}
