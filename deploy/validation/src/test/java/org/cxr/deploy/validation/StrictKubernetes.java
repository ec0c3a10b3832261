package org.cxr.deploy.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads manifests into the fabric8 Kubernetes model and rejects any field the model does not know.
 * The model classes collect unknown fields in an "additionalProperties" any-setter; it is removed
 * here, so that FAIL_ON_UNKNOWN_PROPERTIES applies and a typo such as "readinesProbe" fails.
 */
final class StrictKubernetes {
    /**
     * The kinds this deployment uses, with the API version each must be written with: the built-in
     * ones, the Prometheus Operator's (fabric8's monitoring model) and KEDA's ({@link Keda}).
     */
    static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("Namespace", new Kind("v1", Namespace.class)),
            Map.entry("ConfigMap", new Kind("v1", ConfigMap.class)),
            Map.entry("Secret", new Kind("v1", Secret.class)),
            Map.entry("Service", new Kind("v1", Service.class)),
            Map.entry("ServiceAccount", new Kind("v1", ServiceAccount.class)),
            Map.entry("PersistentVolumeClaim", new Kind("v1", PersistentVolumeClaim.class)),
            Map.entry("Deployment", new Kind("apps/v1", Deployment.class)),
            Map.entry("StatefulSet", new Kind("apps/v1", StatefulSet.class)),
            Map.entry("PodDisruptionBudget", new Kind("policy/v1", PodDisruptionBudget.class)),
            Map.entry("HorizontalPodAutoscaler", new Kind("autoscaling/v2", HorizontalPodAutoscaler.class)),
            Map.entry("Role", new Kind("rbac.authorization.k8s.io/v1", Role.class)),
            Map.entry("RoleBinding", new Kind("rbac.authorization.k8s.io/v1", RoleBinding.class)),
            Map.entry("Job", new Kind("batch/v1", Job.class)),
            Map.entry("NetworkPolicy", new Kind("networking.k8s.io/v1", NetworkPolicy.class)),
            Map.entry("Ingress", new Kind("networking.k8s.io/v1", Ingress.class)),
            Map.entry("ServiceMonitor", new Kind("monitoring.coreos.com/v1", ServiceMonitor.class)),
            Map.entry("PrometheusRule", new Kind("monitoring.coreos.com/v1", PrometheusRule.class)),
            Map.entry("ScaledObject", new Kind(Keda.API_VERSION, Keda.ScaledObject.class)),
            Map.entry("TriggerAuthentication", new Kind(Keda.API_VERSION, Keda.TriggerAuthentication.class)));

    record Kind(String apiVersion, Class<? extends HasMetadata> type) {
    }

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("strict-kubernetes").setDeserializerModifier(new ValueDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config,
                        BeanDescription.Supplier beanDesc, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    private StrictKubernetes() {
    }

    /** The documents of a YAML text as model objects; throws with every problem found. */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> resources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : Yaml.documents(yaml)) {
            String kind = doc.path("kind").asString("");
            String where = source + ": " + kind + " " + doc.path("metadata").path("name").asString("?");
            Kind known = KINDS.get(kind);
            if (known == null) {
                problems.add(where + ": kind not expected here (only " + KINDS.keySet() + ")");
                continue;
            }
            if (!known.apiVersion().equals(doc.path("apiVersion").asString(""))) {
                problems.add(where + ": apiVersion " + doc.path("apiVersion") + ", expected " + known.apiVersion());
            }
            if (kind.equals("ScaledObject")) {
                for (JsonNode trigger : doc.path("spec").path("triggers")) {
                    trigger.path("metadata").properties().forEach(e -> {
                        if (!e.getValue().isString()) {
                            problems.add(where + ": trigger metadata " + e.getKey() + " must be a string (quote it)");
                        }
                    });
                }
            }
            try {
                resources.add(MAPPER.treeToValue(doc, known.type()));
            } catch (JacksonException e) {
                problems.add(where + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("invalid Kubernetes manifests:\n  " + String.join("\n  ", problems));
        }
        return resources;
    }
}
