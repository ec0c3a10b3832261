package org.cxr.deploy.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables the deployment's scripts read: Kafka topics and principals (deploy/compose/kafka),
 * the Secrets of the Kubernetes overlays (deploy/k8s/scripts/create-local-secrets.sh).
 */
final class Tables {
    private Tables() {
    }

    /** Topic → partitions, from deploy/compose/kafka/topics.tsv. */
    static Map<String, Integer> partitions() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String[] row : rows("deploy/compose/kafka/topics.tsv")) {
            topics.put(row[0], Integer.parseInt(row[1]));
        }
        return topics;
    }

    record Principal(String name, String group, Set<String> reads, Set<String> writes, Set<String> describeGroups,
            Set<String> describeTopics) {
    }

    /** Principal → its grants, from deploy/compose/kafka/principals.tsv. */
    static Map<String, Principal> principals() {
        Map<String, Principal> principals = new LinkedHashMap<>();
        for (String[] r : rows("deploy/compose/kafka/principals.tsv")) {
            principals.put(r[0], new Principal(r[0], r[1].equals("-") ? null : r[1], list(r[2]), list(r[3]), list(r[4]),
                    list(r[5])));
        }
        return principals;
    }

    /** Secret → its keys, from the table of deploy/k8s/scripts/create-local-secrets.sh. */
    static Map<String, Set<String>> kubernetesSecrets() {
        String script = Repo.read("deploy/k8s/scripts/create-local-secrets.sh");
        Matcher block = Pattern.compile("(?s)\\nSECRETS='\\n(.*?)\\n'").matcher(script);
        if (!block.find()) {
            throw new AssertionError("create-local-secrets.sh: no SECRETS table");
        }
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (String line : block.group(1).split("\n")) {
            String[] parts = line.strip().split("\\s+");
            Set<String> keys = new TreeSet<>();
            for (int i = 1; i < parts.length; i++) {
                keys.add(parts[i].substring(0, parts[i].indexOf('=')));
            }
            secrets.put(parts[0], keys);
        }
        return secrets;
    }

    private static Set<String> list(String cell) {
        return cell.equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(cell.split(",")));
    }

    private static List<String[]> rows(String file) {
        List<String[]> rows = new ArrayList<>();
        for (String line : Repo.read(file).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(line.strip().split("\\s+"));
            }
        }
        return rows;
    }
}
