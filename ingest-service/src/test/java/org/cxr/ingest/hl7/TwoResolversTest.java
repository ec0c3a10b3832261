package org.cxr.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.ingest.testing.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.cxr.events.Topics;
import org.cxr.ingest.dimse.HospitalFixtures;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two ingest replicas resolve the same waiting reports at once (the production overlay runs at
 * least two): on the real PostgreSQL, two resolvers run concurrently over twelve reports waiting for
 * one study — the only state replicas share is the database, and the scheduled job is paused so that
 * the two are the only ones. Each report must be recorded once, in arrival order (revision k is the
 * k-th report), and announced once.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class TwoResolversTest {
    static final int REPORTS = 12;
    static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliett", "kilo", "lima"};

    @Inject
    AccessionReports resolver;
    @Inject
    Accessions accessions;
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    Scheduler scheduler;

    @Test
    void eachWaitingReportIsRecordedAndAnnouncedOnceWhenTwoResolversRace() throws Exception {
        long run = TestDicoms.runBase();
        String accession = "ACC-RACE-" + run;
        TestDicoms.Spec spec = TestDicoms.spec("MRN-RACE-" + run, run, 1);
        scheduler.pause(AccessionReports.RESOLVER);
        try {
            given().contentType("application/dicom").body(HospitalFixtures.instance(spec, accession)).post("/studies/instances")
                    .then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"));
            String studyId = HospitalFixtures.column("select study_id from study where study_key = ?",
                    pseudonyms.study(spec.studyUid())).get(0);
            List<String> texts = new ArrayList<>();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < REPORTS; i++) {
                texts.add("IMPRESSION: report " + WORDS[i] + ", no acute disease.");
                accessions.addPending(pseudonyms.accession(accession), "", texts.get(i), "HL7", now.plusMillis(i),
                        now.plus(1, ChronoUnit.HOURS));
            }

            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Void>> replicas = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                replicas.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int round = 0; round < 3; round++) {
                        resolver.resolve();
                    }
                }));
            }
            CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new)).join();

            assertThat(Infra.count("select count(*) from pending_report where accession_key = ?", pseudonyms.accession(accession)))
                    .isZero();
            List<String> recorded = HospitalFixtures.column(
                    "select sha256 from report_revision where study_id = ? order by revision", studyId);
            assertThat(recorded).as("one revision per report, in arrival order")
                    .containsExactlyElementsOf(texts.stream().map(TwoResolversTest::sha256).toList());
            List<EventTap.Event> announced = EventTap.get().await(EventTap.study(Topics.REPORT_RECEIVED, studyId), REPORTS);
            assertThat(announced.stream().map(e -> e.value().replaceAll(".*\"revision\":(\\d+).*", "$1"))
                    .sorted(Comparator.comparingInt(Integer::parseInt)).toList())
                    .as("each revision announced once")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, REPORTS).mapToObj(String::valueOf).toList());
        } finally {
            scheduler.resume(AccessionReports.RESOLVER);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
