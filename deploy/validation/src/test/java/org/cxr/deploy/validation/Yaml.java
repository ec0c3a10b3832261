package org.cxr.deploy.validation;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Generic YAML reading (compose files, Prometheus and Grafana configuration, kustomizations). */
final class Yaml {
    static final YAMLMapper MAPPER = YAMLMapper.builder().build();

    private Yaml() {
    }

    static JsonNode tree(String relative) {
        return MAPPER.readTree(Repo.read(relative));
    }

    /** Every non-empty document of a multi-document YAML text. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
