package org.cxr.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/** The JSON the code writes is exactly what docs/events/*.schema.json describes, and reads back equal. */
class EventContractTest {
    static final Instant T = Instant.parse("2026-11-27T10:15:30.123Z");
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String DICOM = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014";

    static LabelVector labels() {
        Map<Observation, Double> m = new EnumMap<>(Observation.class);
        m.put(Observation.CARDIOMEGALY, -1.0);
        m.put(Observation.EDEMA, 1.0);
        m.put(Observation.PNEUMOTHORAX, 0.0);
        m.put(Observation.SUPPORT_DEVICES, 1.0);
        return LabelVector.of(m);
    }

    static Stream<Arguments> samples() {
        var received = new InstanceReceived(1, "10000032", "50414267", DICOM, Buckets.RAW,
                ObjectKeys.dicom("10000032", "50414267", DICOM), SHA, 1_234_567, "1.2.840.10008.1.2.1",
                "1.2.840.10008.5.1.4.1.1.1", Source.REST, T);
        return Stream.of(
                Arguments.of("instance-received", received),
                Arguments.of("report-received", new ReportReceived(1, "10000032", "50414267", Buckets.REPORTS,
                        ObjectKeys.report("10000032", "50414267"), SHA, 1200, 1, Source.IMPORT, T)),
                Arguments.of("report-received", new ReportReceived(1, "10000032", "50414267", Buckets.REPORTS,
                        ObjectKeys.report("10000032", "50414267"), SHA, 1300, 2, Source.HL7, T)),
                Arguments.of("instance-converted", new InstanceConverted(1, "10000032", "50414267", DICOM,
                        received.objectKey(), SHA, Buckets.JPG, ObjectKeys.jpg("10000032", "50414267", DICOM),
                        523_111, "1.2.840.10008.1.2.4.70", false,
                        new ImageMetadata("CHEST (PA AND LAT)", "PA", 3056, 2544, "21800506", "213014.531",
                                "CHEST (PA AND LAT)", "postero-anterior", "Erect"),
                        "cxr-convert/1.0", 48, 95, T)),
                Arguments.of("instance-converted", new InstanceConverted(1, "10000032", "50414267", DICOM,
                        received.objectKey(), SHA, Buckets.JPG, ObjectKeys.jpg("10000032", "50414267", DICOM),
                        1000, null, true, new ImageMetadata(null, null, 2, 2, null, null, null, null, null),
                        "cxr-convert/1.0", 0, 1, T)),
                Arguments.of("report-labelled", new ReportLabelled(1, "10000032", "50414267",
                        ObjectKeys.report("10000032", "50414267"), SHA, ReportSection.IMPRESSION,
                        "mild cardiomegaly. no pneumothorax.", labels(), labels(), "cxr-label/1.0", T)),
                Arguments.of("report-labelled", new ReportLabelled(1, "10000032", "50414267",
                        ObjectKeys.report("10000032", "50414267"), SHA, ReportSection.IMPRESSION,
                        "Mild cardiomegaly. No new effusion.", labels(), labels(), "cxr-label/1.0", T,
                        List.of(new MentionSpan("Cardiomegaly", 5, 17, 1.0, null),
                                new MentionSpan("Pleural Effusion", 26, 34, -1.0, 0.0)))),
                Arguments.of("report-labelled", new ReportLabelled(1, "10000032", "50414267",
                        ObjectKeys.report("10000032", "50414267"), SHA, ReportSection.NONE, "", null, null,
                        "cxr-label/1.0", T, null)),
                Arguments.of("study-indexed", new StudyIndexed(1, "10000032", "50414267", StudyState.COMPLETE,
                        2, 2, 0, true, "train", T)),
                Arguments.of("import-progress", new ImportProgress(1, "3f2c9a1e-6a53-4b8e-9a57-0c1d2e3f4a5b",
                        "mimic-cxr", "RUNNING", 7, 1200, 480, 450, 12, 0, 18, 0, 3,
                        Map.of("NOT_DICOM", 11L, "UNSUPPORTED_TRANSFER_SYNTAX", 7L), 123_456_789, T, T, null)),
                Arguments.of("import-progress", new ImportProgress(1, "3f2c9a1e-6a53-4b8e-9a57-0c1d2e3f4a5b",
                        "drop-folder", "DONE", 9, 1200, 1200, 1170, 12, 0, 18, 0, 0, Map.of(), 1, T, T, T)),
                Arguments.of("dead-letter", new DeadLetter(1, "convert", FailureReason.MULTI_FRAME,
                        "96 frames; only single-frame images are converted", "10000032", "50414267", DICOM,
                        Topics.INSTANCE_RECEIVED, received.eventId(), received.eventType(),
                        EventJson.tree(received), T)),
                Arguments.of("dead-letter", new DeadLetter(1, "convert", FailureReason.INTERNAL_ERROR,
                        "no outcome after 3 attempts", "10000032", "50414267", DICOM, Topics.CONVERT_REDRIVE,
                        received.eventId(), received.eventType(), EventJson.tree(received), T).withAttempts(3, List.of(
                                new DeliveryAttempt(2, T, "convert-7f9c/812", DeliveryAttempt.PROCESS_ENDED, null),
                                new DeliveryAttempt(3, T, "convert-7f9c/977", DeliveryAttempt.FAILED,
                                        "java.lang.StackOverflowError")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void payloadMatchesItsJsonSchemaAndRoundTrips(String schemaName, CxrEvent event) throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(docs().resolve(schemaName + ".schema.json")), InputFormat.JSON);
        String json = EventJson.write(event);
        List<com.networknt.schema.Error> errors = schema.validate(json, InputFormat.JSON);
        assertThat(errors).as(json).isEmpty();
        assertThat(EventJson.write(EventJson.read(json, event.getClass()))).isEqualTo(json);
    }

    @Test
    void importProgressNeedsItsIdStateAndSequence() {
        String ok = EventJson.write(new ImportProgress(1, "imp-1", "dicom-folder", "RUNNING", 1, 0, 0, 0, 0, 0, 0, 0, 0,
                null, 0, T, T, null));
        assertThat(EventJson.read(ok, ImportProgress.class).rejectedByReason()).isEmpty();
        for (String broken : List.of(ok.replace("\"imp-1\"", "null"), ok.replace("\"imp-1\"", "\"\""),
                ok.replace("\"RUNNING\"", "null"), ok.replace("\"sequence\":1", "\"sequence\":0"))) {
            assertThatThrownBy(() -> EventJson.read(broken, ImportProgress.class)).as(broken)
                    .isInstanceOf(EventJson.InvalidEventException.class);
        }
    }

    @Test
    void everyEventTypeHasASchema() {
        for (Class<?> c : CxrEvent.class.getPermittedSubclasses()) {
            String name = c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            assertThat(docs().resolve(name + ".schema.json")).as(c.getSimpleName()).exists();
        }
    }

    @Test
    void receivedEventSchemasListEverySource() throws Exception {
        for (String schema : List.of("instance-received", "report-received")) {
            var sources = EventJson.mapper().readTree(Files.readString(docs().resolve(schema + ".schema.json")))
                    .at("/properties/source/enum");
            List<String> inSchema = new java.util.ArrayList<>();
            sources.forEach(r -> inSchema.add(r.asText()));
            assertThat(inSchema).as(schema).containsExactly(Stream.of(Source.values()).map(Enum::name).toArray(String[]::new));
        }
    }

    @Test
    void deadLetterSchemaListsEveryFailureReason() throws Exception {
        var reasons = EventJson.mapper().readTree(Files.readString(docs().resolve("dead-letter.schema.json")))
                .at("/properties/reason/enum");
        List<String> inSchema = new java.util.ArrayList<>();
        reasons.forEach(r -> inSchema.add(r.asText()));
        assertThat(inSchema).containsExactly(Stream.of(FailureReason.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void everyTopicHasOneWriterAndEveryReadTopicIsWritten() {
        for (String topic : Topics.ALL) {
            assertThat(TopicAccess.ALL.stream().filter(a -> a.writes().contains(topic)).map(TopicAccess::principal))
                    .as(topic).hasSize(1);
        }
        for (TopicAccess a : TopicAccess.ALL) {
            assertThat(a.reads()).as(a.principal()).allSatisfy(t -> assertThat(
                    TopicAccess.ALL.stream().anyMatch(w -> w.writes().contains(t))).as(t).isTrue());
            assertThat(a.describesGroups()).allSatisfy(g -> assertThat(TopicAccess.of(g)).isPresent());
        }
        // an attempt log is its stage's alone
        assertThat(TopicAccess.ALL.stream().filter(a -> a.writes().contains(Topics.CONVERT_ATTEMPTS)))
                .containsExactly(TopicAccess.CONVERT);
        assertThat(TopicAccess.CONVERT.groupTopics()).containsExactly(Topics.INSTANCE_RECEIVED, Topics.CONVERT_REDRIVE);
        assertThat(TopicAccess.INGEST.consumes()).isFalse();
        // catalog reads import progress and reports the lag of every consuming group, its own included
        assertThat(TopicAccess.CATALOG.groupTopics()).contains(Topics.IMPORT_PROGRESS);
        assertThat(TopicAccess.CATALOG.describesGroups()).containsExactlyInAnyOrderElementsOf(TopicAccess.ALL.stream()
                .filter(TopicAccess::consumes).map(TopicAccess::group).toList());
    }

    @Test
    void anEventWithoutStudyIdHasNoSubjectHeader() {
        DeadLetter unreadable = new DeadLetter(1, "convert", FailureReason.INVALID_EVENT, "not JSON", null, null, null,
                Topics.INSTANCE_RECEIVED, "cxr.instance-received-0@17", null, null, T);
        Map<String, byte[]> h = EventHeaders.of(unreadable, "/cxr/convert-service", T);
        assertThat(h).doesNotContainKey(EventHeaders.SUBJECT).containsKey(EventHeaders.ID);
        assertThat(new String(h.get(EventHeaders.ID), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("dead-letter:convert:cxr.instance-received-0@17");
    }

    @Test
    void labelVectorsAreWrittenByColumnNameWithNullsForEmpty() {
        String json = EventJson.mapper().valueToTree(labels()).toString();
        assertThat(json).startsWith("{\"Atelectasis\":null,\"Cardiomegaly\":-1.0,");
        assertThat(json).contains("\"No Finding\":null").contains("\"Support Devices\":1.0");
    }

    @Test
    void mentionSpansAreSmallAndStayInsideTheSectionText() throws Exception {
        ReportLabelled e = new ReportLabelled(1, "10000032", "50414267", ObjectKeys.report("10000032", "50414267"), SHA,
                ReportSection.IMPRESSION, "No pneumothorax.", labels(), labels(), "cxr-label/1.0", T,
                List.of(new MentionSpan("Pneumothorax", 3, 15, 0.0, null)));
        String json = EventJson.write(e);
        assertThat(json).contains("\"mentions\":[{\"observation\":\"Pneumothorax\",\"start\":3,\"end\":15,\"value\":0.0}]");
        assertThat(e.sectionText().substring(3, 15)).isEqualTo("pneumothorax");
        // an event written before mentions existed reads back with none
        String old = json.replaceAll(",\"mentions\":\\[.*\\]", "");
        assertThat(old).doesNotContain("mentions");
        assertThat(EventJson.read(old, ReportLabelled.class).mentions()).isNull();
        assertThatThrownBy(() -> new ReportLabelled(1, "10000032", "50414267", ObjectKeys.report("10000032", "50414267"), SHA,
                ReportSection.IMPRESSION, "No pneumothorax.", labels(), labels(), "cxr-label/1.0", T,
                List.of(new MentionSpan("Pneumothorax", 3, 30, 0.0, null)))).hasMessageContaining("beyond sectionText");
        assertThatThrownBy(() -> new MentionSpan("No Finding", 0, 2, 1.0, null)).hasMessageContaining("No Finding");
        assertThatThrownBy(() -> new MentionSpan("Edema", 4, 4, 1.0, null)).hasMessageContaining("start < end");
        assertThatThrownBy(() -> new MentionSpan("Edema", 0, 4, 2.0, null)).hasMessageContaining("1.0, 0.0 or -1.0");
    }

    @Test
    void rejectsWhatTheContractForbids() {
        assertThatThrownBy(() -> LabelVector.of(Map.of(Observation.NO_FINDING, 0.0)))
                .hasMessageContaining("No Finding");
        assertThatThrownBy(() -> LabelVector.of(Map.of(Observation.EDEMA, 2.0)))
                .hasMessageContaining("Edema");
        assertThatThrownBy(() -> ObjectKeys.jpg("20000000", "50000000", DICOM)).hasMessageContaining("subject_id");
        assertThatThrownBy(() -> ObjectKeys.jpg("10000000", "50000000", DICOM.toUpperCase()))
                .hasMessageContaining("dicom_id");
        String future = EventJson.write(new StudyIndexed(1, "10000032", "50414267", StudyState.RECEIVED, 1, 0, 0,
                false, null, T)).replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        assertThatThrownBy(() -> EventJson.read(future, StudyIndexed.class))
                .isInstanceOf(EventJson.InvalidEventException.class).hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> EventJson.read("{\"schemaVersion\":1,\"studyId\":\"x\"}", StudyIndexed.class))
                .isInstanceOf(EventJson.InvalidEventException.class).hasMessageContaining("subject_id");
        assertThatThrownBy(() -> EventJson.read("not json", InstanceReceived.class))
                .isInstanceOf(EventJson.InvalidEventException.class);
    }

    @Test
    void keysFollowTheDatasetLayout() {
        assertThat(ObjectKeys.jpg("10000032", "50414267", DICOM))
                .isEqualTo("files/p10/p10000032/s50414267/" + DICOM + ".jpg");
        assertThat(ObjectKeys.report("10000032", "50414267")).isEqualTo("files/p10/p10000032/s50414267.txt");
    }

    static Path docs() {
        String root = System.getProperty("cxr.repo.root", "../..");
        return Path.of(root, "docs", "events");
    }
}
