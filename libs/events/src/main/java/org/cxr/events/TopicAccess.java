package org.cxr.events;

import java.util.List;

/**
 * What each service may do on the broker: its Kafka principal (also the name of its consumer group),
 * the topics it reads and writes (docs/architecture.md) and the other groups whose offsets it may
 * look at. The one table the local broker's ACLs, the launcher's lag report and the deployment
 * files follow; a service gets nothing else (least privilege: a forged event cannot come from a
 * service that does not write that topic).
 *
 * @param describesGroups groups whose committed offsets the service may read (catalog reports the
 *                        pipeline's consumer lag, its own group's included)
 */
public record TopicAccess(String principal, List<String> reads, List<String> writes, List<String> describesGroups) {

    public static final TopicAccess INGEST = new TopicAccess("ingest-service", List.of(),
            List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED, Topics.IMPORT_PROGRESS), List.of());

    public static final TopicAccess CONVERT = new TopicAccess("convert-service",
            List.of(Topics.INSTANCE_RECEIVED, Topics.CONVERT_REDRIVE, Topics.CONVERT_ATTEMPTS),
            List.of(Topics.INSTANCE_CONVERTED, Topics.CONVERT_DLQ, Topics.CONVERT_ATTEMPTS), List.of());

    public static final TopicAccess LABEL = new TopicAccess("label-service",
            List.of(Topics.REPORT_RECEIVED, Topics.LABEL_REDRIVE, Topics.LABEL_ATTEMPTS),
            List.of(Topics.REPORT_LABELLED, Topics.LABEL_DLQ, Topics.LABEL_ATTEMPTS), List.of());

    public static final TopicAccess CATALOG = new TopicAccess("catalog-service",
            List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED, Topics.INSTANCE_CONVERTED,
                    Topics.REPORT_LABELLED, Topics.CONVERT_DLQ, Topics.LABEL_DLQ, Topics.IMPORT_PROGRESS),
            List.of(Topics.STUDY_INDEXED, Topics.CATALOG_DLQ, Topics.CONVERT_REDRIVE, Topics.LABEL_REDRIVE),
            List.of("convert-service", "label-service", "catalog-service"));

    public static final List<TopicAccess> ALL = List.of(INGEST, CONVERT, LABEL, CATALOG);

    public TopicAccess {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        describesGroups = List.copyOf(describesGroups);
    }

    /** The consumer group: named after the service, like its principal. */
    public String group() {
        return principal;
    }

    /** Whether the service consumes at all (and so owns a consumer group). */
    public boolean consumes() {
        return reads.stream().anyMatch(t -> !Topics.COMPACTED.contains(t));
    }

    /** The topics it reads through its consumer group (the attempt log is read without one). */
    public List<String> groupTopics() {
        return reads.stream().filter(t -> !Topics.COMPACTED.contains(t)).toList();
    }

    /** The entry of a principal, if it is one of the services. */
    public static java.util.Optional<TopicAccess> of(String principal) {
        return ALL.stream().filter(a -> a.principal.equals(principal)).findFirst();
    }
}
