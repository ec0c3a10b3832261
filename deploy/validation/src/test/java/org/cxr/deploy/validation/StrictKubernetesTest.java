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
    void rejectsAKindOutsideTheBuiltInOnes() {
        String serviceMonitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: demo}
                """;
        assertThatThrownBy(() -> StrictKubernetes.parse(serviceMonitor, "test")).hasMessageContaining("ServiceMonitor");
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
