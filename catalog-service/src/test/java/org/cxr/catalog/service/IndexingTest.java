package org.cxr.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;
import static org.cxr.catalog.testing.TestEvents.raw;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.service.ReleaseService;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Indexing rules against the real database, through the indexer the Kafka consumer uses. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class IndexingTest {
    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ReleaseService releases;

    @BeforeEach
    void reset() throws Exception {
        CatalogDb.reset(ds);
    }

    @Test
    void theSameEventsAgainChangeNothing() throws Exception {
        SmallDataset d = new SmallDataset(40, 1, 100, 100);
        indexer.index(d.events);
        List<String> before = CatalogDb.content(ds);
        long seq = CatalogDb.count(ds, "SELECT max(change_seq) FROM study");
        long outbox = CatalogDb.count(ds, "SELECT last_value FROM outbox_outbox_id_seq");
        indexer.index(d.events);
        for (RawEvent e : d.events) {
            indexer.index(List.of(e));
        }
        assertThat(CatalogDb.content(ds)).isEqualTo(before);
        assertThat(CatalogDb.count(ds, "SELECT max(change_seq) FROM study")).as("no study was touched again").isEqualTo(seq);
        assertThat(CatalogDb.count(ds, "SELECT last_value FROM outbox_outbox_id_seq")).as("no new outbox event")
                .isEqualTo(outbox);
    }

    @Test
    void anyOrderAndAnyBatchingGiveTheSameCatalogAndRelease(@TempDir Path tmp) throws Exception {
        SmallDataset d = new SmallDataset(60, 2, 200, 200);
        indexer.index(d.events);
        List<String> expected = CatalogDb.content(ds);
        Map<String, byte[]> expectedFiles = csvs(tmp.resolve("natural"));
        assertThat(expected).anyMatch(r -> r.startsWith("study:") && r.contains("state=COMPLETE"));
        for (int round = 1; round <= 4; round++) {
            CatalogDb.reset(ds);
            List<RawEvent> shuffled = new ArrayList<>(d.events);
            Random rnd = new Random(round);
            Collections.shuffle(shuffled, rnd);
            if (round == 4) {
                Collections.reverse(shuffled = new ArrayList<>(d.events)); // everything backwards
            }
            for (int i = 0; i < shuffled.size();) {
                int n = 1 + rnd.nextInt(40);
                indexer.index(shuffled.subList(i, Math.min(shuffled.size(), i + n)));
                i += n;
            }
            assertThat(CatalogDb.content(ds)).as("round " + round).isEqualTo(expected);
            Map<String, byte[]> files = csvs(tmp.resolve("round" + round));
            for (String f : ReleaseFiles.CSVS) {
                assertThat(files.get(f)).as(f + " round " + round).isEqualTo(expectedFiles.get(f));
            }
        }
    }

    @Test
    void batchesIndexedConcurrentlyGiveTheSameCatalogAndRelease(@TempDir Path tmp) throws Exception {
        SmallDataset d = new SmallDataset(60, 2, 200, 200);
        indexer.index(d.events);
        List<String> expected = CatalogDb.content(ds);
        Map<String, byte[]> expectedFiles = csvs(tmp.resolve("serial"));
        var pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 1; round <= 3; round++) {
                CatalogDb.reset(ds);
                List<RawEvent> shuffled = new ArrayList<>(d.events);
                Random rnd = new Random(100 + round);
                Collections.shuffle(shuffled, rnd);
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < shuffled.size();) {
                    int n = 1 + rnd.nextInt(30);
                    List<RawEvent> batch = shuffled.subList(i, Math.min(shuffled.size(), i + n));
                    running.add(pool.submit(() -> indexer.index(batch)));
                    i += n;
                }
                for (var f : running) {
                    f.get();
                }
                List<String> actual = CatalogDb.content(ds);
                assertThat(actual).as("round " + round + ": " + CatalogDb.diff(expected, actual)).isEqualTo(expected);
                Map<String, byte[]> files = csvs(tmp.resolve("concurrent" + round));
                for (String f : ReleaseFiles.CSVS) {
                    assertThat(files.get(f)).as(f + " round " + round).isEqualTo(expectedFiles.get(f));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, byte[]> csvs(Path out) throws Exception {
        releases.write(ReleaseSelection.full(), new FolderReleaseSink(out), false, 1, null);
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String f : ReleaseFiles.CSVS) {
            m.put(f, Files.readAllBytes(out.resolve(f)));
        }
        m.put(ReleaseFiles.IMAGE_FILENAMES, Files.readAllBytes(out.resolve(ReleaseFiles.IMAGE_FILENAMES)));
        return m;
    }

    @Test
    void studyLifecycleIncludingALateImage() throws Exception {
        String subject = TestEvents.subject(301);
        String study = TestEvents.study(301);
        String d1 = TestEvents.dicom("301:1");
        String d2 = TestEvents.dicom("301:2");
        indexer.index(List.of(raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, d1, T0)),
                raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, d2, T0))));
        assertThat(state(study)).isEqualTo("RECEIVED|2|0|0|f");
        indexer.index(List.of(raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, d1,
                TestEvents.metadata("PA", "21800506", "080556"), T0, "c1"))));
        assertThat(state(study)).isEqualTo("RECEIVED|2|1|0|f");
        indexer.index(List.of(raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, d2,
                TestEvents.metadata("LATERAL", "21800506", "080556"), T0, "c1"))));
        assertThat(state(study)).isEqualTo("CONVERTED|2|2|0|f");
        String text = "IMPRESSION: edema";
        indexer.index(List.of(raw(Topics.REPORT_RECEIVED, TestEvents.report(subject, study, text, 1, T0)),
                raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, text, ReportSection.IMPRESSION,
                        "Edema=1", "Edema=1", "l1", T0))));
        assertThat(state(study)).isEqualTo("COMPLETE|2|2|0|t");
        // the outbox publisher announces it on cxr.study-indexed, with the deterministic event id
        var indexed = KafkaTestClient.readUntil(Topics.STUDY_INDEXED, l -> l.stream().anyMatch(r -> study.equals(r.key())
                && r.value().contains("\"state\":\"COMPLETE\"")), Duration.ofSeconds(30));
        var complete = indexed.stream().filter(r -> study.equals(r.key()) && r.value().contains("\"state\":\"COMPLETE\""))
                .findFirst().orElseThrow();
        assertThat(KafkaTestClient.header(complete, "ce_id")).isEqualTo("study-indexed:" + study + ":COMPLETE:2:2:0:true");
        assertThat(KafkaTestClient.header(complete, "ce_type")).isEqualTo("org.cxr.study-indexed.v1");
        // a late image: the study waits for it, then is complete again
        String d3 = TestEvents.dicom("301:3");
        indexer.index(List.of(raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, d3, T0.plusSeconds(99)))));
        assertThat(state(study)).isEqualTo("LABELLED|3|2|0|t");
        indexer.index(List.of(raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, d3,
                TestEvents.metadata("PA", "21800506", "080556"), T0.plusSeconds(100), "c1"))));
        assertThat(state(study)).isEqualTo("COMPLETE|3|3|0|t");
        // a conversion seen before its receipt counts at once
        String d4 = TestEvents.dicom("301:4");
        indexer.index(List.of(raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, d4,
                TestEvents.metadata("AP", "21800507", "080556"), T0.plusSeconds(200), "c1"))));
        assertThat(state(study)).isEqualTo("COMPLETE|4|4|0|t");
        indexer.index(List.of(raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, d4, T0.plusSeconds(150)))));
        assertThat(state(study)).isEqualTo("COMPLETE|4|4|0|t");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE study_id = " + study
                + " AND study_date = DATE '2180-05-06' AND view_positions = '{AP,LATERAL,PA}'")).isEqualTo(1);
    }

    @Test
    void labelsBeforeImages() throws Exception {
        String subject = TestEvents.subject(302);
        String study = TestEvents.study(302);
        indexer.index(List.of(raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, "x",
                ReportSection.FINDINGS, "Pneumonia=-1", "Pneumonia=0", "l1", T0))));
        assertThat(state(study)).isEqualTo("LABELLED|0|0|0|t");
        String d = TestEvents.dicom("302:1");
        indexer.index(List.of(raw(Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, d, T0)),
                raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, d,
                        TestEvents.metadata("PA", "21800506", "1"), T0, "c1"))));
        assertThat(state(study)).isEqualTo("COMPLETE|1|1|0|t");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study_label WHERE study_id = " + study
                + " AND ((labeler = 'chexpert' AND pneumonia = -1) OR (labeler = 'negbio' AND pneumonia = 0))")).isEqualTo(2);
    }

    @Test
    void labelsOfAnOlderRevisionNeverReplaceNewerOnes() throws Exception {
        String subject = TestEvents.subject(303);
        String study = TestEvents.study(303);
        String v1 = "IMPRESSION: no edema";
        String v2 = "IMPRESSION: no edema. ADDENDUM: edema.";
        // revision 2's labels arrive first, revision 1's later (with a later labelledAt)
        indexer.index(List.of(raw(Topics.REPORT_RECEIVED, TestEvents.report(subject, study, v2, 2, T0.plusSeconds(10))),
                raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, v2, ReportSection.IMPRESSION,
                        "Edema=1", "Edema=1", "l1", T0.plusSeconds(20)))));
        indexer.index(List.of(raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, v1, ReportSection.IMPRESSION,
                "Edema=0", "Edema=0", "l1", T0.plusSeconds(30))),
                raw(Topics.REPORT_RECEIVED, TestEvents.report(subject, study, v1, 1, T0))));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study_label WHERE study_id = " + study + " AND edema = 1"))
                .isEqualTo(2);
        assertThat(CatalogDb.count(ds, "SELECT revision FROM report WHERE study_id = " + study)).isEqualTo(2);
        // a third revision arrives: not labelled until its labels come
        String v3 = v2 + " more";
        indexer.index(List.of(raw(Topics.REPORT_RECEIVED, TestEvents.report(subject, study, v3, 3, T0.plusSeconds(40)))));
        assertThat(state(study)).endsWith("|f");
        indexer.index(List.of(raw(Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, v3, ReportSection.NONE,
                "", "", "l1", T0.plusSeconds(50)))));
        assertThat(state(study)).endsWith("|t");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study_label WHERE study_id = " + study))
                .as("section NONE: no label rows").isZero();
    }

    @Test
    void deadLettersMarkImagesAndReportsFailed() throws Exception {
        String subject = TestEvents.subject(304);
        String study = TestEvents.study(304);
        InstanceReceived r = TestEvents.received(subject, study, TestEvents.dicom("304:1"), T0);
        indexer.index(List.of(raw(Topics.INSTANCE_RECEIVED, r),
                raw(Topics.CONVERT_DLQ, TestEvents.convertFailed(r, FailureReason.MULTI_FRAME))));
        assertThat(state(study)).isEqualTo("FAILED|1|0|1|f");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM image WHERE status = 'FAILED' AND failure_reason = 'MULTI_FRAME'"
                + " AND study_id = " + study)).isEqualTo(1);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE failure_reason = 'MULTI_FRAME' AND study_id = "
                + study)).as("the study says why it failed").isEqualTo(1);

        String study2 = TestEvents.study(305);
        ReportReceived rr = TestEvents.report(subject, study2, "", 1, T0);
        String d = TestEvents.dicom("305:1");
        indexer.index(List.of(raw(Topics.REPORT_RECEIVED, rr), raw(Topics.LABEL_DLQ,
                TestEvents.labelFailed(rr, FailureReason.EMPTY_REPORT)),
                raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study2, d,
                        TestEvents.metadata("PA", "21800506", "1"), T0, "c1"))));
        assertThat(state(study2)).isEqualTo("FAILED|1|1|0|f");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM report WHERE status = 'FAILED' AND failure_reason = 'EMPTY_REPORT'"
                + " AND study_id = " + study2)).isEqualTo(1);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE failure_reason = 'EMPTY_REPORT' AND study_id = "
                + study2)).isEqualTo(1);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE topic IN ('cxr.convert.dlq', 'cxr.label.dlq')"))
                .isEqualTo(2);
    }

    @Test
    void invalidEventsAreDeadLetteredAndTheRestIsIndexed() throws Exception {
        String subject = TestEvents.subject(306);
        String study = TestEvents.study(306);
        var good = TestEvents.received(subject, study, TestEvents.dicom("306:1"), T0);
        String noMetadata = EventJson.write(TestEvents.converted(subject, study, TestEvents.dicom("306:1"),
                TestEvents.metadata("PA", "1", "1"), T0, "c1")).replaceAll("\"metadata\":\\{[^}]*\\}", "\"metadata\":null");
        String futureVersion = EventJson.write(good).replace("\"schemaVersion\":1", "\"schemaVersion\":9");
        indexer.index(List.of(new RawEvent(Topics.INSTANCE_RECEIVED, study, "{not json", null, 0, 1),
                new RawEvent(Topics.INSTANCE_CONVERTED, study, noMetadata, null, 0, 2),
                new RawEvent(Topics.INSTANCE_RECEIVED, study, futureVersion, null, 0, 3),
                new RawEvent(Topics.INSTANCE_RECEIVED, study, EventJson.write(good)
                        .replace(subject, "999"), null, 0, 4),
                raw(Topics.INSTANCE_RECEIVED, good)));
        assertThat(state(study)).isEqualTo("RECEIVED|1|0|0|f");
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE topic = 'cxr.catalog.dlq'"
                + " AND reason = 'INVALID_EVENT' AND stage = 'catalog'")).isEqualTo(4);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE message LIKE '%metadata is required%'"))
                .isEqualTo(1);
    }

    /** state|known|converted|failed|labelled */
    private String state(String study) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT state, images_known, images_converted, images_failed, labelled FROM study WHERE study_id = " + study)) {
            if (!rs.next()) {
                return null;
            }
            return rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getInt(3) + "|" + rs.getInt(4) + "|"
                    + (rs.getBoolean(5) ? "t" : "f");
        }
    }

}
