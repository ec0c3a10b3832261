package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.cxr.events.Buckets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MinIO policy of each service (deploy/compose/minio/policies) grants exactly the buckets of
 * docs/architecture.md ("Services": reads, writes) and nothing wider, and each service gets its
 * own user in compose and Kubernetes.
 */
class ObjectStoreAccessTest {
    static final java.util.List<PlatformService> SERVICES = PlatformService.ALL;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** docs/architecture.md, "Services": the buckets each service reads and writes. */
    private static final Map<String, Map<String, Set<String>>> ACCESS = Map.of(
            "ingest-service", Map.of(Buckets.RAW, Set.of("write"), Buckets.REPORTS, Set.of("write")),
            "convert-service", Map.of(Buckets.RAW, Set.of("read"), Buckets.JPG, Set.of("read", "write")),
            "label-service", Map.of(Buckets.REPORTS, Set.of("read")),
            "catalog-service", Map.of(Buckets.JPG, Set.of("read"), Buckets.RELEASES, Set.of("read", "write", "delete")));

    private static final Set<String> BUCKET_ACTIONS = Set.of("s3:ListBucket", "s3:GetBucketLocation",
            "s3:ListBucketMultipartUploads");
    private static final Map<String, Set<String>> OBJECT_ACTIONS = Map.of(
            "read", Set.of("s3:GetObject"),
            "write", Set.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
            "delete", Set.of("s3:DeleteObject"));

    @ParameterizedTest
    @FieldSource("SERVICES")
    void thePolicyGrantsExactlyTheServicesBuckets(PlatformService svc) {
        JsonNode policy = JSON.readTree(Repo.read("deploy/compose/minio/policies/" + svc.name() + ".json"));
        assertThat(policy.path("Version").asString()).isEqualTo("2012-10-17");
        Map<String, Set<String>> granted = new TreeMap<>();
        for (JsonNode st : policy.path("Statement")) {
            assertThat(st.path("Effect").asString()).isEqualTo("Allow");
            assertThat(st.has("Principal") || st.has("NotAction") || st.has("NotResource")).isFalse();
            for (JsonNode resource : st.path("Resource")) {
                for (JsonNode action : st.path("Action")) {
                    assertThat(action.asString()).as("no wildcard action").doesNotContain("*");
                    granted.computeIfAbsent(resource.asString(), k -> new TreeSet<>()).add(action.asString());
                }
            }
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        ACCESS.get(svc.name()).forEach((bucket, kinds) -> {
            expected.put("arn:aws:s3:::" + bucket, BUCKET_ACTIONS);
            Set<String> actions = new TreeSet<>();
            kinds.forEach(k -> actions.addAll(OBJECT_ACTIONS.get(k)));
            expected.put("arn:aws:s3:::" + bucket + "/*", actions);
        });
        assertThat(granted).isEqualTo(expected);
    }

    /** MinIO refuses access keys longer than 20 characters and secret keys longer than 40: so do the generators. */
    @org.junit.jupiter.api.Test
    void theGeneratedKeysFitMinio() {
        java.util.regex.Matcher compose = java.util.regex.Pattern
                .compile("(?m)^CXR_(S3_ACCESS_KEY_\\w+|MINIO_ROOT_USER|S3_SECRET_KEY_\\w+|MINIO_ROOT_PASSWORD) (\\d+)$")
                .matcher(Repo.read("deploy/compose/generate-env.sh"));
        int found = 0;
        while (compose.find()) {
            boolean access = compose.group(1).contains("ACCESS") || compose.group(1).endsWith("USER");
            assertThat(Integer.parseInt(compose.group(2))).as(compose.group(1)).isBetween(8, access ? 20 : 40);
            found++;
        }
        assertThat(found).isEqualTo(10);
        java.util.regex.Matcher k8s = java.util.regex.Pattern
                .compile("(s3-access-key|root-user|s3-secret-key|root-password)=random(\\d+)")
                .matcher(Repo.read("deploy/k8s/scripts/create-local-secrets.sh"));
        found = 0;
        while (k8s.find()) {
            boolean access = k8s.group(1).equals("s3-access-key") || k8s.group(1).equals("root-user");
            assertThat(Integer.parseInt(k8s.group(2))).as(k8s.group(1)).isBetween(8, access ? 20 : 40);
            found++;
        }
        assertThat(found).isEqualTo(10);
    }

    /** The init script makes the four buckets and attaches each policy to that service's own user. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void eachServiceHasItsOwnUser(PlatformService svc) {
        String script = Repo.read("deploy/compose/minio/init-minio.sh");
        for (String bucket : Set.of(Buckets.RAW, Buckets.REPORTS, Buckets.JPG, Buckets.RELEASES)) {
            assertThat(script).contains(bucket);
        }
        String upper = svc.stage().toUpperCase();
        Map<String, String> init = DockerComposeTest.environmentOf("minio-init");
        Map<String, String> service = DockerComposeTest.environmentOf(svc.name());
        assertThat(init.get("CXR_S3_ACCESS_KEY_" + upper)).isEqualTo(service.get("CXR_S3_ACCESS_KEY"))
                .contains("CXR_S3_ACCESS_KEY_" + upper);
        assertThat(init.get("CXR_S3_SECRET_KEY_" + upper)).isEqualTo(service.get("CXR_S3_SECRET_KEY"));
        assertThat(Repo.read("deploy/compose/minio/kustomization.yaml")).contains(svc.name() + ".json=policies/" + svc.name() + ".json");
    }
}
