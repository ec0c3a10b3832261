package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Prometheus configuration and the Grafana dashboard and provisioning shared by compose and Kubernetes. */
class MonitoringTest {
    private static final String DASHBOARD_FILE = "deploy/monitoring/grafana/dashboards/cxr-platform.json";
    private static final JsonNode DASHBOARD = JsonMapper.builder().build().readTree(Repo.read(DASHBOARD_FILE));

    /** Functions whose result carries no metric name: aggregating it by __name__ collapses all series. */
    private static final Pattern BY_NAME_AFTER_FUNCTION = Pattern.compile(
            "by \\([^)]*__name__[^)]*\\)\\s*\\(\\s*(rate|irate|increase|delta|deriv|avg_over_time|sum_over_time)\\(");

    @Test
    void everyPanelHasADatasourceAndAQuery() {
        Set<String> variables = new HashSet<>();
        DASHBOARD.path("templating").path("list").values().forEach(v -> variables.add(v.path("name").asString()));
        assertThat(variables).contains("datasource", "service");
        List<JsonNode> panels = panels();
        assertThat(panels).hasSizeGreaterThan(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            String title = p.path("title").asString();
            assertThat(ids.add(p.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(p.path("gridPos").path("w").asInt()).as(title + " width").isPositive();
            String uid = p.path("datasource").path("uid").asString("");
            assertThat(uid).as(title + " datasource").isEqualTo("${datasource}");
            assertThat(p.path("targets").isEmpty()).as(title + " has queries").isFalse();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asString()).isEqualTo(uid);
                assertThat(t.path("expr").asString("")).as(title + " query").isNotBlank();
            }
        }
    }

    @Test
    void queriesAreBalancedAndKeepMetricNamesWhereTheyGroupByThem() {
        for (var e : expressions().entrySet()) {
            String expr = e.getValue();
            assertThat(balanced(expr)).as(e.getKey() + ": unbalanced brackets or quotes in " + expr).isTrue();
            assertThat(BY_NAME_AFTER_FUNCTION.matcher(expr).find())
                    .as(e.getKey() + ": rate() and friends drop __name__; group by the 'metric' label instead: " + expr)
                    .isFalse();
        }
    }

    @Test
    void coversAvailabilityHttpJvmKafkaAndEachPipelineStage() {
        String all = String.join("\n", expressions().values());
        assertThat(all).contains("up{", "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds", "process_cpu_usage",
                // Micrometer's KafkaClientMetrics: kafka.<group without -metrics>.<name>, dots to underscores
                "kafka_consumer_fetch_manager_records_consumed_total", "kafka_consumer_fetch_manager_records_lag_max");
        for (PlatformService svc : PlatformService.ALL) {
            String prefix = "cxr_" + svc.name().replace("-service", "") + "_";
            assertThat(all).as("panels on " + prefix + "* metrics").contains("__name__=~\"" + prefix + ".+_total\"");
        }
    }

    @Test
    void bothPrometheusConfigurationsGiveTheLabelsTheDashboardUses() {
        for (String file : List.of("deploy/monitoring/prometheus.yml", "deploy/monitoring/prometheus-kubernetes.yml")) {
            JsonNode cxr = cxrJob(file);
            assertThat(cxr.path("metric_relabel_configs").values()).as(file + ": cxr_* name copied to 'metric'")
                    .anySatisfy(r -> {
                        assertThat(r.path("source_labels").get(0).asString()).isEqualTo("__name__");
                        assertThat(r.path("regex").asString()).startsWith("cxr_");
                        assertThat(r.path("target_label").asString()).isEqualTo("metric");
                    });
        }
        assertThat(cxrJob("deploy/monitoring/prometheus-kubernetes.yml").path("relabel_configs").values())
                .anySatisfy(r -> assertThat(r.path("target_label").asString()).isEqualTo("service"));
    }

    @Test
    void composePrometheusScrapesEveryServiceOnItsManagementPortWithItsServiceLabel() {
        JsonNode cxr = cxrJob("deploy/monitoring/prometheus.yml");
        assertThat(cxr.path("metrics_path").asString()).isEqualTo("/q/metrics");
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode sc : cxr.path("static_configs")) {
            sc.path("targets").values().forEach(t -> targets.put(sc.path("labels").path("service").asString(), t.asString()));
        }
        Map<String, String> expected = new TreeMap<>();
        PlatformService.ALL.forEach(s -> expected.put(s.name(), s.name() + ":" + PlatformService.MANAGEMENT_PORT));
        assertThat(targets).isEqualTo(expected);
    }

    @Test
    void grafanaProvisioningLoadsTheDashboardFolderWhereComposeAndKubernetesMountIt() {
        JsonNode providers = Yaml.tree("deploy/monitoring/grafana/provisioning/dashboards/cxr.yml");
        String path = providers.path("providers").get(0).path("options").path("path").asString();
        assertThat(DockerComposeTest.volumesOf("grafana"))
                .contains("./deploy/monitoring/grafana/dashboards:" + path + ":ro");
        assertThat(Repo.read("deploy/k8s/overlays/local/monitoring.yaml")).contains("mountPath: " + path);
        JsonNode datasource = Yaml.tree("deploy/monitoring/grafana/provisioning/datasources/prometheus.yml")
                .path("datasources").get(0);
        assertThat(datasource.path("type").asString()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asString()).isEqualTo("http://prometheus:9090");
    }

    /** promtool parses both configurations and every dashboard query (as recording rules). */
    @Test
    void promtoolAcceptsTheConfigurationsAndQueries() throws IOException {
        Optional<Path> promtool = Tools.find("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus): skipping the "
                + "PromQL syntax check; the queries were still checked for balance and name handling");
        for (String file : List.of("deploy/monitoring/prometheus.yml", "deploy/monitoring/prometheus-kubernetes.yml")) {
            // Debian builds Prometheus without Kubernetes discovery: a static target stands in for it,
            // so that the rest (relabelling above all) is still parsed.
            ObjectNode config = (ObjectNode) Yaml.tree(file);
            for (JsonNode job : config.path("scrape_configs")) {
                if (((ObjectNode) job).remove("kubernetes_sd_configs") != null) {
                    ((ObjectNode) job).putArray("static_configs").addObject().putArray("targets").add("localhost:1");
                }
            }
            Tools.Result r = promtool(promtool.get(), "check", "config", "--syntax-only", config);
            assertThat(r.exitCode()).as(file + ": " + r.stdout() + r.stderr()).isZero();
        }
        ObjectNode rules = Yaml.MAPPER.createObjectNode();
        var group = rules.putArray("groups").addObject().put("name", "dashboard");
        var list = group.putArray("rules");
        int i = 0;
        for (String expr : expressions().values()) {
            list.addObject().put("record", "dashboard:query" + i++).put("expr", expr
                    .replace("$__rate_interval", "5m").replace("$service", ".*"));
        }
        Tools.Result r = promtool(promtool.get(), "check", "rules", null, rules);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    }

    /** The alert rules parse, and each alert fires on its situation and not on its neighbour (alerts-test.yml). */
    @Test
    void promtoolChecksAndUnitTestsTheAlertRules() {
        Optional<Path> promtool = Tools.find("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus): skipping the rule "
                + "checks; the rules were still parsed and compared with the PrometheusRule");
        Tools.Result check = Tools.run(List.of(promtool.get().toString(), "check", "rules", "deploy/monitoring/alerts.yml"));
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
        Tools.Result test = Tools.run(List.of(promtool.get().toString(), "test", "rules", "deploy/monitoring/alerts-test.yml"));
        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
        assertThat(test.stdout()).contains("SUCCESS");
    }

    /** Every alert is unit-tested, has a severity and a runbook entry that exists in docs/operations.md. */
    @Test
    void everyAlertHasASeverityATestAndARunbookSection() {
        String tests = Repo.read("deploy/monitoring/alerts-test.yml");
        Set<String> anchors = new HashSet<>();
        for (String line : Repo.read("docs/operations.md").split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").strip().toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode rule : alerts) {
            String name = rule.path("alert").asString();
            assertThat(rule.path("labels").path("severity").asString()).as(name + " severity").isIn("warning", "critical");
            assertThat(tests).as(name + " is unit-tested").contains("alertname: " + name);
            assertThat(rule.path("annotations").path("runbook_url").asString()).as(name + " runbook")
                    .isEqualTo("docs/operations.md#" + name.toLowerCase());
            assertThat(anchors).as(name + ": a section in docs/operations.md").contains(name.toLowerCase());
        }
    }

    /** The PrometheusRule for the operator is alerts.yml itself (regenerated by render-manifests.sh). */
    @Test
    void thePrometheusRuleCarriesExactlyTheAlertsFile() {
        JsonNode rule = Yaml.tree("deploy/monitoring/rules/prometheus-rule.yaml");
        assertThat(rule.path("kind").asString()).isEqualTo("PrometheusRule");
        assertThat(rule.path("spec")).isEqualTo(Yaml.tree("deploy/monitoring/alerts.yml"));
        StrictKubernetes.parse(Repo.read("deploy/monitoring/rules/prometheus-rule.yaml"), "prometheus-rule.yaml");
    }

    /** The ServiceMonitor gives the Operator's Prometheus the same two labels as the other configurations. */
    @Test
    void theServiceMonitorScrapesTheManagementPortWithTheDashboardsLabels() {
        for (String overlay : Manifests.OVERLAYS) {
            List<io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor> monitors =
                    Rendered.all(overlay, io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);
            assertThat(monitors).hasSize(1);
            var endpoint = monitors.get(0).getSpec().getEndpoints().get(0);
            assertThat(endpoint.getPort()).isEqualTo("management");
            assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
            assertThat(endpoint.getRelabelings()).anySatisfy(r -> {
                assertThat(r.getSourceLabels()).containsExactly("__meta_kubernetes_pod_label_app_kubernetes_io_name");
                assertThat(r.getTargetLabel()).isEqualTo("service");
            });
            assertThat(endpoint.getMetricRelabelings()).anySatisfy(r -> {
                assertThat(r.getSourceLabels()).containsExactly("__name__");
                assertThat(r.getRegex()).startsWith("cxr_");
                assertThat(r.getTargetLabel()).isEqualTo("metric");
            });
            assertThat(monitors.get(0).getSpec().getSelector().getMatchLabels()).containsEntry("cxr.org/metrics", "true");
        }
    }

    /** The issue-16 metrics each have a panel: stage and end-to-end latency, lag from the broker, dead letters. */
    @Test
    void theDashboardShowsLatencyLagAndDeadLetters() {
        String all = String.join("\n", expressions().values());
        assertThat(all).contains("cxr_catalog_study_latency_seconds_bucket", "_seconds_bucket\"",
                "cxr_pipeline_consumer_lag", "cxr_dead_letters_total", "ALERTS{");
        assertThat(all).contains("histogram_quantile(0.95, sum by (le, metric)");
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : Yaml.tree("deploy/monitoring/alerts.yml").path("groups")) {
            group.path("rules").values().stream().filter(r -> r.has("alert")).forEach(alerts::add);
        }
        return alerts;
    }

    /** promtool on a YAML document written to a temporary file. */
    private static Tools.Result promtool(Path promtool, String command, String subcommand, String option, JsonNode yaml)
            throws IOException {
        Path file = Files.createTempFile("cxr-promtool", ".yml");
        try {
            Files.writeString(file, Yaml.MAPPER.writeValueAsString(yaml));
            List<String> cmd = new ArrayList<>(List.of(promtool.toString(), command, subcommand));
            if (option != null) {
                cmd.add(option);
            }
            cmd.add(file.toString());
            return Tools.run(cmd);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static JsonNode cxrJob(String file) {
        for (JsonNode job : Yaml.tree(file).path("scrape_configs")) {
            if (job.path("job_name").asString().equals("cxr")) {
                return job;
            }
        }
        throw new AssertionError(file + ": no scrape job 'cxr'");
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : DASHBOARD.path("panels")) {
            if (p.path("type").asString().equals("row")) {
                p.path("panels").values().forEach(panels::add);
            } else {
                panels.add(p);
            }
        }
        return panels;
    }

    /** "panel title / refId" → PromQL. */
    private static Map<String, String> expressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                exprs.put(p.path("title").asString() + " #" + p.path("id").asInt() + "/" + t.path("refId").asString(),
                        t.path("expr").asString());
            }
        }
        return exprs;
    }

    private static boolean balanced(String expr) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if ("([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (")]}".indexOf(c) >= 0) {
                if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return !quoted && open.isEmpty();
    }
}
