package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Keycloak realm export (deploy/keycloak) against what the services and the deployment
 * files expect: the four roles, the clients the services name, audience cxr and roles in
 * "groups" on every token, and no user, password grant or secret in the file every environment
 * imports.
 */
class KeycloakRealmTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode REALM = JSON.readTree(Repo.read("deploy/keycloak/cxr-realm.json"));
    private static final JsonNode LOCAL_USERS = JSON.readTree(Repo.read("deploy/keycloak/local-only-test-users.json"));
    private static final Set<String> ROLES = Set.of("uploader", "researcher", "operator", "admin");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final Pattern ROLES_ALLOWED = Pattern.compile("@RolesAllowed\\(\\{?([^)]*)\\}?\\)");

    @Test
    void theRealmHasTheFourRoles() {
        assertThat(REALM.path("realm").asString()).isEqualTo("cxr");
        assertThat(REALM.path("enabled").asBoolean()).isTrue();
        assertThat(REALM.path("sslRequired").asString()).isIn("external", "all");
        assertThat(REALM.path("registrationAllowed").asBoolean()).isFalse();
        List<String> roles = new ArrayList<>();
        REALM.path("roles").path("realm").forEach(r -> roles.add(r.path("name").asString()));
        assertThat(roles).containsExactlyInAnyOrderElementsOf(ROLES);
    }

    /** Every role a service checks exists in the realm (a typo would deny everybody). */
    @Test
    void everyRoleTheServicesCheckIsARealmRole() throws IOException {
        Set<String> used = new TreeSet<>();
        for (PlatformService svc : PlatformService.ALL) {
            Path src = Repo.path(svc.name() + "/src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = ROLES_ALLOWED.matcher(Files.readString(f));
                    while (m.find()) {
                        for (String literal : m.group(1).split(",")) {
                            String role = literal.strip().replace("\"", "").replace("}", "");
                            if (!role.isEmpty() && !role.contains(".")) {
                                used.add(role);
                            }
                        }
                    }
                }
            }
        }
        assertThat(ROLES).as("roles in @RolesAllowed of the services").containsAll(used);
    }

    @Test
    void theClientsAreTheOnesTheDeploymentNames() {
        JsonNode api = client("cxr-api");
        assertThat(api.path("bearerOnly").asBoolean()).as("cxr-api only receives tokens").isTrue();
        JsonNode dashboard = client("cxr-dashboard");
        assertThat(dashboard.path("publicClient").asBoolean()).as("dashboard: confidential").isFalse();
        assertThat(dashboard.path("standardFlowEnabled").asBoolean()).as("dashboard: code flow").isTrue();
        assertThat(dashboard.path("attributes").path("pkce.code.challenge.method").asString()).isEqualTo("S256");
        assertThat(dashboard.path("redirectUris").values()).extracting(JsonNode::asString)
                .allSatisfy(uri -> assertThat(uri).doesNotStartWith("*").contains("/dashboard/"));
        JsonNode cli = client("cxr-cli");
        assertThat(cli.path("serviceAccountsEnabled").asBoolean()).as("machines: client credentials").isTrue();
        assertThat(cli.path("attributes").path("oauth2.device.authorization.grant.enabled").asString())
                .as("people at a terminal: device flow").isEqualTo("true");
        // The client ids the services are configured with exist.
        assertThat(DockerComposeTest.environmentOf("ingest-service").get("QUARKUS_OIDC_CLIENT_ID")).isEqualTo("cxr-api");
        assertThat(DockerComposeTest.environmentOf("catalog-service").get("QUARKUS_OIDC_CLIENT_ID")).isEqualTo("cxr-dashboard");
        for (String overlay : Manifests.OVERLAYS) {
            for (Deployment d : Rendered.platformDeployments(overlay)) {
                DeploymentsTest.container(d).getEnv().stream().filter(e -> e.getName().equals("QUARKUS_OIDC_CLIENT_ID"))
                        .map(EnvVar::getValue).forEach(id -> assertThat(client(id)).as(id).isNotNull());
            }
        }
    }

    /** Tokens carry what the services check: audience cxr, and the realm roles in "groups". */
    @Test
    void everyTokenIssuingClientPutsTheAudienceAndTheRolesIntoTheToken() {
        String audience = DockerComposeTest.environmentOf("ingest-service").get("QUARKUS_OIDC_TOKEN_AUDIENCE");
        List<JsonNode> issuing = new ArrayList<>();
        REALM.path("clients").forEach(c -> {
            if (!c.path("bearerOnly").asBoolean(false)) {
                issuing.add(c);
            }
        });
        LOCAL_USERS.path("clients").forEach(issuing::add);
        assertThat(issuing).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode c : issuing) {
            String id = c.path("clientId").asString();
            assertThat(c.path("protocolMappers").values()).as(id + " audience").anySatisfy(m -> {
                assertThat(m.path("protocolMapper").asString()).isEqualTo("oidc-audience-mapper");
                assertThat(m.path("config").path("included.custom.audience").asString()).isEqualTo(audience);
                assertThat(m.path("config").path("access.token.claim").asString()).isEqualTo("true");
            });
            assertThat(c.path("protocolMappers").values()).as(id + " groups").anySatisfy(m -> {
                assertThat(m.path("protocolMapper").asString()).isEqualTo("oidc-usermodel-realm-role-mapper");
                assertThat(m.path("config").path("claim.name").asString()).isEqualTo("groups");
                assertThat(m.path("config").path("multivalued").asString()).isEqualTo("true");
                assertThat(m.path("config").path("access.token.claim").asString()).isEqualTo("true");
            });
        }
    }

    /** The realm every environment imports has no user, no password grant and no literal secret. */
    @Test
    void theSharedRealmHasNoUserNoPasswordGrantAndNoSecret() {
        assertThat(REALM.has("users")).isFalse();
        REALM.path("clients").forEach(c -> {
            String id = c.path("clientId").asString();
            assertThat(c.path("directAccessGrantsEnabled").asBoolean(false)).as(id + " password grant").isFalse();
            assertThat(c.path("implicitFlowEnabled").asBoolean(false)).as(id + " implicit flow").isFalse();
            if (c.has("secret")) {
                assertThat(c.path("secret").asString()).as(id + " secret").matches(PLACEHOLDER.pattern());
            }
        });
        // Each placeholder is given to Keycloak by compose and by the local overlay.
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(Repo.read("deploy/keycloak/cxr-realm.json"));
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertThat(DockerComposeTest.environmentOf("keycloak").keySet()).containsAll(placeholders);
        Deployment keycloak = Rendered.named("local", Deployment.class, "keycloak");
        assertThat(keycloak.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .containsAll(placeholders);
    }

    /** Test users exist only in the local-only file, one role each, with the password from .env. */
    @Test
    void testUsersLiveOnlyInTheLocalFile() {
        assertThat(LOCAL_USERS.path("users").values()).hasSize(ROLES.size()).allSatisfy(u -> {
            assertThat(u.path("username").asString()).startsWith("test-");
            assertThat(u.path("realmRoles").values()).singleElement()
                    .satisfies(r -> assertThat(ROLES).contains(r.asString()));
            assertThat(u.path("credentials").get(0).path("value").asString())
                    .isEqualTo("__CXR_KEYCLOAK_TEST_USER_PASSWORD__");
        });
        assertThat(Repo.read("deploy/keycloak/load-local-test-users.sh")).contains("__CXR_KEYCLOAK_TEST_USER_PASSWORD__");
        for (String overlay : Manifests.OVERLAYS) {
            assertThat(Repo.read(Manifests.renderedPath(overlay))).doesNotContain("local-only-test-users", "test-operator");
        }
        assertThat(DockerComposeTest.volumesOf("keycloak")).noneSatisfy(v -> assertThat(v).contains("local-only"));
    }

    private static JsonNode client(String id) {
        for (JsonNode c : REALM.path("clients")) {
            if (c.path("clientId").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("realm cxr has no client " + id);
    }
}
