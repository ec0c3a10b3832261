package org.cxr.deploy.validation;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/**
 * KEDA's ScaledObject and TriggerAuthentication (keda.sh/v1alpha1, KEDA 2.x CRDs) as strict models
 * for {@link StrictKubernetes}. No Java model of them is on Maven Central (npm's
 * {@code @kubernetes-models/keda} checks types but lets unknown fields through), so these records
 * carry the CRD fields by their CRD names; the authentication kinds this deployment does not use
 * (pod identity, Vault, ...) are left out on purpose and fail the parse like a typo would.
 */
final class Keda {
    static final String API_VERSION = "keda.sh/v1alpha1";

    /** The kafka scaler's trigger metadata (keda.sh/docs/2.x/scalers/apache-kafka): all strings. */
    static final Set<String> KAFKA_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "excludePersistentLag",
            "scaleToZeroOnInvalidOffset", "limitToPartitionsWithLag", "partitionLimitation",
            "ensureEvenDistributionOfPartitions", "version", "sasl", "tls", "unsafeSsl");

    /** Parameters the kafka scaler takes from a TriggerAuthentication. */
    static final Set<String> KAFKA_AUTH_PARAMETERS = Set.of("sasl", "username", "password", "tls", "ca", "cert", "key",
            "keyPassword", "oauthTokenEndpointUri", "scopes", "oauthExtensions");

    private Keda() {
    }

    /** apiVersion, kind and metadata, read as fields (HasMetadata's default getters are not properties). */
    @JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
    abstract static class Resource implements HasMetadata {
        private String apiVersion;
        private String kind;
        private ObjectMeta metadata;

        @Override
        public ObjectMeta getMetadata() {
            return metadata;
        }

        @Override
        public void setMetadata(ObjectMeta metadata) {
            this.metadata = metadata;
        }

        @Override
        public String getApiVersion() {
            return apiVersion;
        }

        @Override
        public void setApiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
        }

        @Override
        public String getKind() {
            return kind;
        }
    }

    /** Read as a plain bean: fabric8's resource deserializer would turn an unknown kind into a generic map. */
    @JsonDeserialize(using = ValueDeserializer.None.class)
    static final class ScaledObject extends Resource {
        private ScaledObjectSpec spec;

        ScaledObjectSpec spec() {
            return spec;
        }
    }

    record ScaledObjectSpec(ScaleTarget scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
            Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount,
            Advanced advanced, Fallback fallback, List<Trigger> triggers) {
    }

    record ScaleTarget(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Advanced(HpaConfig horizontalPodAutoscalerConfig, Boolean restoreToOriginalReplicaCount,
            ScalingModifiers scalingModifiers) {
    }

    record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    record ScalingModifiers(String formula, String target, String activationTarget, String metricType) {
    }

    record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    }

    record Trigger(String type, String name, Map<String, String> metadata, AuthenticationRef authenticationRef,
            String metricType, Boolean useCachedMetrics) {
    }

    record AuthenticationRef(String name, String kind) {
    }

    @JsonDeserialize(using = ValueDeserializer.None.class)
    static final class TriggerAuthentication extends Resource {
        private TriggerAuthenticationSpec spec;

        TriggerAuthenticationSpec spec() {
            return spec;
        }
    }

    record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef, List<EnvTargetRef> env) {
    }

    record SecretTargetRef(String parameter, String name, String key) {
    }

    record EnvTargetRef(String parameter, String name, String containerName) {
    }
}
