package org.cxr.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.cxr.catalog.config.SplitPolicy;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.split.SplitRule;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A record that throws an Error while its batch is indexed (here the split rule fails for its
 * subject, inside the batch's transaction) is dead-lettered alone as INTERNAL_ERROR, published on
 * cxr.catalog.dlq by the outbox, and every other record of the batch is indexed exactly as if it
 * had not been there.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class IndexingFaultTest {
    static final int BASE = 7200;

    @Inject
    CatalogIndexer indexer;
    @Inject
    SplitPolicy policy;
    @Inject
    AgroalDataSource ds;

    @Test
    void anErrorWhileIndexingOneRecordDeadLettersThatRecordAlone() throws Exception {
        SmallDataset good = new SmallDataset(30, 41, BASE, BASE);
        String poisonSubject = TestEvents.subject(BASE + 99);
        RawEvent poison = TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(poisonSubject,
                TestEvents.study(BASE + 999), TestEvents.dicom("error while indexing"), T0));
        List<RawEvent> batch = new ArrayList<>(good.events);
        batch.add(batch.size() / 3, poison);
        SplitRule failing = new SplitRule() {
            @Override
            public Split assign(String subjectId) {
                if (subjectId.equals(poisonSubject)) {
                    throw new LinkageError("simulated linkage failure");
                }
                return policy.assigner().assign(subjectId);
            }

            @Override
            public String rule() {
                return policy.assigner().rule();
            }
        };

        CatalogDb.reset(ds);
        indexer.index(good.events);
        List<String> withoutPoison = CatalogDb.content(ds);

        CatalogDb.reset(ds);
        CatalogIndexer.Result result = indexer.index(batch, failing);
        assertThat(result.isolatedFailures()).isEqualTo(1);
        assertThat(result.lost()).isZero();
        List<String> actual = CatalogDb.content(ds).stream()
                .filter(row -> !(row.startsWith("dead_letter:") && row.contains("topic=cxr.catalog.dlq|"))).toList();
        assertThat(actual).as(CatalogDb.diff(withoutPoison, actual)).isEqualTo(withoutPoison);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE topic = 'cxr.catalog.dlq'"
                + " AND reason = 'INTERNAL_ERROR' AND study_id = " + TestEvents.study(BASE + 999)
                + " AND message LIKE '%java.lang.LinkageError: simulated linkage failure%'"
                + " AND original_event_id = '" + poison.ceId() + "'")).isEqualTo(1);

        String deadLetterId = "dead-letter:catalog:" + poison.ceId();
        var dlq = KafkaTestClient.readUntil(Topics.CATALOG_DLQ, l -> l.stream()
                .anyMatch(r -> deadLetterId.equals(KafkaTestClient.header(r, "ce_id"))), Duration.ofSeconds(60));
        assertThat(dlq).anySatisfy(r -> {
            assertThat(KafkaTestClient.header(r, "ce_id")).isEqualTo(deadLetterId);
            assertThat(r.value()).contains("\"reason\":\"INTERNAL_ERROR\"").contains("LinkageError");
        });
    }
}
