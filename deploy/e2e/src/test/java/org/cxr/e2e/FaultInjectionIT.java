package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cxr.events.Observation;
import org.cxr.events.Topics;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.upload.IngestUploader;
import org.cxr.local.launcher.PlatformState;
import org.cxr.local.launcher.StageCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fault-injection suite (issue 14 item 2) over the real processes of {@code ./cxr up}: while
 * generated studies are imported over ingest's REST API, each process of the platform is killed
 * ({@code kill -9}) once — the four services, the Kafka broker, the S3 server, PostgreSQL — and the
 * S3 server and the broker are each paused for 30 s ({@code SIGSTOP}/{@code SIGCONT}: the process
 * stays, its sockets stay open and nothing answers, the harder case for clients than a refused
 * connection); the supervisor restarts what was killed. Faults come one at a time in an order and at
 * moments drawn from a seed (printed; {@code -Dcxr.faults.seed=N} replays it).
 * <p>The import is cut in one chunk per fault: the chunk's upload starts, the fault strikes once a
 * drawn number of its studies have been answered (so studies are in flight in every stage), then the
 * test waits for the process to serve again and for the pipeline to drain (every consumer group's lag
 * 0, every study of the chunk COMPLETE in the catalog; at most {@code cxr.faults.recovery-minutes}, 2). At the end the catalog must equal the
 * generator's answer key: every study, image, report, label row and split once, nothing extra, no dead
 * letter (only good data is fed), a release that pandas loads with every one of them once. The table
 * printed at the end (and written to {@code target/fault-table.md}) is docs/reliability.md's.
 * <p>CI size: 300 studies (33 per fault, as issue 14 asks) of at most 128x128 pixels;
 * {@code ./cxr test --chaos} sets {@code cxr.faults.studies=2000}, {@code cxr.faults.rounds=3} (every
 * fault three times, 74 studies per fault).
 */
@Order(900)
@ExtendWith(SharedPlatform.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {
    static final int STUDIES = Integer.getInteger("cxr.faults.studies", 300);
    static final int ROUNDS = Integer.getInteger("cxr.faults.rounds", 1);
    static final long SEED = Long.getLong("cxr.faults.seed", System.currentTimeMillis() % 100_000);
    static final Duration PAUSE = Duration.ofSeconds(Long.getLong("cxr.faults.pause-seconds", 30));
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(Long.getLong("cxr.faults.recovery-minutes", 2));
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { KILL, PAUSE }

    record Fault(String process, Kind kind) {
        String label() {
            return kind == Kind.KILL ? "kill -9 " + process : process + " paused " + PAUSE.toSeconds() + " s";
        }
    }

    /** What happened to one fault: when, what was in flight, how long until it served and until drained. */
    static final class Outcome {
        final Fault fault;
        final int chunk;
        final List<GeneratedStudy> studies;
        Instant struck;
        int answeredAtFault;
        int inFlight;
        Duration toServing;
        Duration toDrained;
        int lost;
        int duplicated;
        int duplicatedEvents;
        /** Answers other than ACCEPTED/DUPLICATE/UNCHANGED (after the uploader's own retries of 503s). */
        final List<String> clientErrors = new ArrayList<>();

        Outcome(Fault fault, int chunk, List<GeneratedStudy> studies) {
            this.fault = fault;
            this.chunk = chunk;
            this.studies = studies;
        }
    }

    SharedPlatform platform;
    final Map<String, IngestUploader.StudyResult> results = new LinkedHashMap<>(); // by StudyInstanceUID
    final List<Outcome> outcomes = new ArrayList<>();
    /** Events of the run per study id and topic (read back at the end), to say where a lost study stopped. */
    final Map<String, Map<String, Integer>> eventsByStudy = new HashMap<>();
    Set<Integer> studiesBefore;
    Instant began;

    @BeforeAll
    void on(SharedPlatform shared) throws Exception {
        platform = shared;
        try (Connection c = platform.database("catalog")) {
            studiesBefore = new HashSet<>(ints(c, "SELECT study_id FROM study"));
        }
    }

    @Test
    void everyProcessKilledAndTheStoreAndBrokerStalledAndTheCatalogStillEqualsTheAnswerKey() throws Exception {
        Random random = new Random(SEED);
        List<Fault> faults = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            List<Fault> round = new ArrayList<>();
            for (String p : List.of("ingest", "convert", "label", "catalog", "kafka", "s3", "postgres")) {
                round.add(new Fault(p, Kind.KILL));
            }
            round.add(new Fault("s3", Kind.PAUSE));
            round.add(new Fault("kafka", Kind.PAUSE));
            Collections.shuffle(round, random);
            faults.addAll(round);
        }
        System.out.printf("[faults] seed %d (replay: -Dcxr.faults.seed=%d), %d studies, %d faults: %s%n", SEED, SEED,
                STUDIES, faults.size(), faults.stream().map(Fault::label).toList());

        // Small images: the faults are about events and processes, not pixels (see docs/reliability.md).
        List<GeneratedStudy> all = new StudyGenerator(SEED, GeneratorOptions.defaults().withMaxSize(128, 128)
                .withSyntaxes(EnumSet.allOf(EncodedSyntax.class))).studies(STUDIES).toList();
        int per = Math.max(2, STUDIES / faults.size());
        began = Instant.now();
        try (IngestUploader uploader = new IngestUploader(URI.create(platform.url("ingest")), 4, 60, Duration.ofSeconds(90))
                .withBearerToken(() -> platform.token("uploader", "researcher")); // research ids are answered to a researcher only
                StageCounters counters = new StageCounters(platform.kafkaAdmin())) {
            for (int i = 0; i < faults.size(); i++) {
                int from = i * per;
                int to = i == faults.size() - 1 ? all.size() : Math.min(all.size(), from + per);
                Outcome o = new Outcome(faults.get(i), i, all.subList(from, to));
                outcomes.add(o);
                strike(o, uploader, counters, random);
            }
        }
        Duration total = Duration.between(began, Instant.now());
        keepErrorLines();

        scanEvents();
        countLost();
        printTable(total);
        verifyCatalogAgainstTheAnswerKey(all);
        verifyRelease();
        PlatformState end = platform.state();
        assertThat(end.processes()).allSatisfy((name, p) -> assertThat(p.phase()).as(name).isEqualTo("up"));
    }

    /** Feeds one chunk, strikes its fault once a drawn number of studies were answered, waits for recovery. */
    private void strike(Outcome o, IngestUploader uploader, StageCounters counters, Random random) throws Exception {
        AtomicInteger answered = new AtomicInteger();
        List<CompletableFuture<IngestUploader.StudyResult>> futures = new ArrayList<>();
        for (GeneratedStudy s : o.studies) {
            futures.add(uploader.submit(s).whenComplete((r, e) -> answered.incrementAndGet()));
        }
        int at = 1 + random.nextInt(Math.max(1, o.studies.size() / 2));
        long jitterMs = random.nextInt(500);
        long waitUntil = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (answered.get() < at && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        Thread.sleep(jitterMs);
        o.answeredAtFault = answered.get();
        o.inFlight = inFlight(futures);
        PlatformState.ProcessInfo before = platform.state().processes().get(o.fault.process());
        o.struck = Instant.now();
        System.out.printf("[faults] %s at +%.1f s (%d of chunk %d answered, %d studies in flight)%n", o.fault.label(),
                Duration.between(began, o.struck).toMillis() / 1e3, o.answeredAtFault, o.chunk, o.inFlight);
        Instant serving;
        if (o.fault.kind() == Kind.KILL) {
            signal("KILL", before.pid());
            serving = awaitRestarted(o.fault.process(), before);
        } else {
            signal("STOP", before.pid());
            Thread.sleep(PAUSE.toMillis());
            signal("CONT", before.pid());
            assertThat(platform.state().processes().get(o.fault.process()).pid()).as("a paused process is not restarted")
                    .isEqualTo(before.pid());
            serving = Instant.now();
        }
        o.toServing = Duration.between(o.struck, serving);
        for (var f : futures) {
            IngestUploader.StudyResult r = f.get(RECOVERY_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!answeredWell(r)) {
                // not a 503 (which the uploader retries) but an error: counted as a finding, and sent
                // again once as a client would after a server error
                o.clientErrors.add(r.instances().stream().map(IngestUploader.InstanceResult::status).toList() + " / report "
                        + r.report());
                System.out.printf("[faults] %s: ingest answered %s for study %s; sending it again%n", o.fault.label(),
                        o.clientErrors.get(o.clientErrors.size() - 1), r.study().studyInstanceUid());
                r = uploader.upload(r.study());
                System.out.printf("[faults] ... sent again: %s / report %s%n",
                        r.instances().stream().map(IngestUploader.InstanceResult::status).toList(), r.report());
            }
            assertThat(answeredWell(r)).as("instances " + r.instances() + ", report " + r.report()).isTrue();
            results.put(r.study().studyInstanceUid(), r);
        }
        if (awaitDrained(counters, o)) {
            o.toDrained = Duration.between(o.struck, Instant.now());
        }
        System.out.printf("[faults] %s: serving again after %.1f s, drained after %s%n", o.fault.label(),
                o.toServing.toMillis() / 1e3, o.toDrained == null ? "(never)" : o.toDrained.toMillis() / 1e3 + " s");
    }

    private static boolean answeredWell(IngestUploader.StudyResult r) {
        return r.instances().stream().allMatch(i -> "ACCEPTED".equals(i.status()) || "DUPLICATE".equals(i.status()))
                && r.report() != null && ("ACCEPTED".equals(r.report().status()) || "UNCHANGED".equals(r.report().status()));
    }

    /** Studies of the chunk sent (some answer in) but not yet COMPLETE in the catalog, plus those still uploading. */
    private int inFlight(List<CompletableFuture<IngestUploader.StudyResult>> futures) throws SQLException {
        List<Integer> answeredIds = new ArrayList<>();
        int uploading = 0;
        for (var f : futures) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                answeredIds.add(Integer.valueOf(f.join().report().studyId()));
            } else {
                uploading++;
            }
        }
        try (Connection c = platform.database("catalog");
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM study WHERE study_id = ANY (?) AND state = 'COMPLETE'")) {
            ps.setArray(1, c.createArrayOf("integer", answeredIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return uploading + answeredIds.size() - rs.getInt(1);
            }
        }
    }

    private Instant awaitRestarted(String process, PlatformState.ProcessInfo before) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            PlatformState.ProcessInfo now = platform.state().processes().get(process);
            if (now.pid() != before.pid() && now.pid() > 0 && "up".equals(now.phase()) && now.restarts() > before.restarts()) {
                return Instant.now();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(process + " not restarted within " + RECOVERY_TIMEOUT + ": " + platform.state().processes());
    }

    /**
     * Every consumer group's lag 0 and every study of the fault's chunk COMPLETE in the catalog; false (and
     * the state printed) when that does not happen in time: the run goes on and the end counts the loss.
     */
    private boolean awaitDrained(StageCounters counters, Outcome o) throws InterruptedException {
        List<Integer> fed = o.studies.stream().map(s -> Integer.valueOf(results.get(s.studyInstanceUid()).report().studyId()))
                .toList();
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                Map<String, Long> lag = counters.lag();
                int complete;
                try (Connection c = platform.database("catalog");
                        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM study WHERE study_id = ANY (?) AND state = 'COMPLETE'")) {
                    ps.setArray(1, c.createArrayOf("integer", fed.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        complete = rs.getInt(1);
                    }
                }
                last = "lag " + lag + ", " + complete + " of " + fed.size() + " studies COMPLETE";
                if (complete == fed.size() && lag.values().stream().allMatch(l -> l == 0)) {
                    return true;
                }
            } catch (Exception e) {
                last = e.toString(); // the broker or the database may still be coming back
            }
            Thread.sleep(250);
        }
        System.out.println("[faults] NOT drained within " + RECOVERY_TIMEOUT + ": " + last + "; processes "
                + platform.state().processes());
        return false;
    }

    /**
     * Per fault, the studies of its chunk that did not end COMPLETE with every image converted, one report
     * revision and two label rows (lost: something missing), and those with more of them (duplicated).
     */
    private void countLost() throws SQLException {
        try (Connection c = platform.database("catalog")) {
            for (Outcome o : outcomes) {
                for (GeneratedStudy s : o.studies) {
                    IngestUploader.StudyResult r = results.get(s.studyInstanceUid());
                    if (r == null) {
                        o.lost++;
                        continue;
                    }
                    List<List<Object>> got = rows(c, "SELECT s.state,"
                            + " (SELECT count(*) FROM image i WHERE i.study_id = s.study_id AND i.status = 'CONVERTED'),"
                            + " (SELECT count(*) FROM image i WHERE i.study_id = s.study_id),"
                            + " (SELECT count(*) FROM report_revision v WHERE v.study_id = s.study_id),"
                            + " (SELECT count(*) FROM study_label l WHERE l.study_id = s.study_id)"
                            + " FROM study s WHERE s.study_id = ?", Integer.valueOf(r.report().studyId()));
                    // [state, converted images, images, report revisions, label rows] against [COMPLETE, n, n, 1, 2]
                    List<Object> row = got.isEmpty() ? List.of("(none)", 0, 0, 0, 0) : got.get(0);
                    int[] want = {s.instances().size(), s.instances().size(), 1, 2};
                    boolean fewer = !"COMPLETE".equals(row.get(0));
                    boolean more = false;
                    for (int k = 0; k < want.length; k++) {
                        int n = ((Number) row.get(k + 1)).intValue();
                        fewer |= n < want[k];
                        more |= n > want[k];
                    }
                    if (fewer || more) {
                        List<List<Object>> dead = rows(c, "SELECT stage, reason, message FROM dead_letter WHERE study_id = ?",
                                Integer.valueOf(r.report().studyId()));
                        System.out.printf("[faults] ... dead letters of study %s: %s%n", r.report().studyId(), dead);
                        o.lost += fewer ? 1 : 0;
                        o.duplicated += more ? 1 : 0;
                        System.out.printf("[faults] chunk %d (%s): study %s [state, converted, images, revisions, label rows]"
                                + " %s, expected [COMPLETE, %d, %d, 1, 2]; its events: %s%n", o.chunk, o.fault.label(),
                                r.report().studyId(), row, want[0], want[1], eventsByStudy.get(r.report().studyId()));
                    }
                }
            }
        }
    }

    /** The services' ERROR lines of the run, kept in target/fault-logs/ (the platform's data directory goes at the end). */
    private void keepErrorLines() throws IOException {
        Path dir = platform.repo().resolve("deploy/e2e/target/fault-logs");
        Files.createDirectories(dir);
        try (var logs = Files.list(platform.dataDir().resolve("logs"))) {
            for (Path log : logs.toList()) {
                List<String> errors = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                        .filter(l -> l.contains("\"level\":\"ERROR\"") || l.contains(" ERROR ")).toList();
                Files.write(dir.resolve(log.getFileName()), errors, StandardCharsets.ISO_8859_1);
                if (!errors.isEmpty()) {
                    System.out.printf("[faults] %s: %d ERROR lines (kept in %s)%n", log.getFileName(), errors.size(), dir);
                }
            }
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    /**
     * The catalog against the answer key: the new studies are exactly the ones fed, each with its
     * instances (the dicom_ids ingest answered) converted once, its report labelled once with one
     * CheXpert and one NegBio row, its subject in one split; no dead letter. Returns the study ids.
     */
    private void verifyCatalogAgainstTheAnswerKey(List<GeneratedStudy> all) throws Exception {
        assertThat(results).hasSize(all.size());
        Map<String, Integer> studyIds = new LinkedHashMap<>();
        Map<String, Set<String>> subjectsByPatient = new HashMap<>();
        Set<String> dicomIds = new HashSet<>();
        for (IngestUploader.StudyResult r : results.values()) {
            int studyId = Integer.parseInt(r.report().studyId());
            studyIds.put(r.study().studyInstanceUid(), studyId);
            subjectsByPatient.computeIfAbsent(r.study().patient().patientId(), k -> new HashSet<>()).add(r.report().subjectId());
            r.instances().forEach(i -> {
                assertThat(i.studyId()).isEqualTo(r.report().studyId());
                dicomIds.add(i.dicomId());
            });
        }
        assertThat(subjectsByPatient).allSatisfy((patient, subjects) -> assertThat(subjects).hasSize(1));
        int instances = all.stream().mapToInt(s -> s.instances().size()).sum();
        assertThat(dicomIds).as("one dicom_id per generated instance").hasSize(instances);
        assertThat(new HashSet<>(studyIds.values())).as("one study_id per generated study").hasSize(all.size());

        try (Connection c = platform.database("catalog")) {
            Set<Integer> now = new HashSet<>(ints(c, "SELECT study_id FROM study"));
            now.removeAll(studiesBefore);
            assertThat(now).as("the new studies are exactly the fed ones").containsExactlyInAnyOrderElementsOf(studyIds.values());
            Object[] ids = studyIds.values().toArray();
            assertThat(rows(c, "SELECT study_id, state FROM study WHERE study_id = ANY (?) AND state <> 'COMPLETE'", (Object) ids))
                    .as("studies not COMPLETE").isEmpty();
            List<String> images = strings(c, "SELECT dicom_id FROM image WHERE study_id = ANY (?) AND status = 'CONVERTED'", (Object) ids);
            assertThat(images).as("converted images").hasSize(instances).containsExactlyInAnyOrderElementsOf(dicomIds);
            assertThat(rows(c, "SELECT dicom_id, status FROM image WHERE study_id = ANY (?) AND status <> 'CONVERTED'", (Object) ids))
                    .isEmpty();
            assertThat(rows(c, "SELECT study_id, count(*) FROM report_revision WHERE study_id = ANY (?) GROUP BY study_id HAVING count(*) <> 1", (Object) ids))
                    .as("one report revision per study").isEmpty();
            assertThat(ints(c, "SELECT study_id FROM report WHERE study_id = ANY (?) AND status = 'LABELLED'", (Object) ids))
                    .hasSize(all.size());
            assertThat(rows(c, "SELECT study_id, count(*) FROM study_label WHERE study_id = ANY (?) GROUP BY study_id"
                    + " HAVING count(*) <> 2 OR count(DISTINCT labeler) <> 2", (Object) ids)).as("label rows").isEmpty();
            assertThat(ints(c, "SELECT DISTINCT study_id FROM study_label WHERE study_id = ANY (?)", (Object) ids)).hasSize(all.size());
            Set<String> subjects = new HashSet<>();
            subjectsByPatient.values().forEach(subjects::addAll);
            assertThat(ints(c, "SELECT subject_id FROM subject_split WHERE subject_id = ANY (?)",
                    (Object) subjects.stream().map(Integer::valueOf).toArray())).as("one split per subject").hasSize(subjects.size());
            assertThat(rows(c, "SELECT study_id FROM study WHERE study_id = ANY (?) AND split IS NULL", (Object) ids)).isEmpty();
            List<List<Object>> deadLetters = rows(c, "SELECT stage, reason, message, event_id FROM dead_letter"
                    + " WHERE study_id = ANY (?) OR failed_at >= ?", ids, java.sql.Timestamp.from(began));
            assertThat(deadLetters).as("dead letters while only good data was fed (each would need an explanation)").isEmpty();
            labelAgreement(c, studyIds);
        }
    }

    /** How often the catalog's label values equal the answer key's (the labeler's accuracy, measured, not a fault). */
    private void labelAgreement(Connection c, Map<String, Integer> studyIds) throws SQLException {
        Map<Integer, GeneratedStudy> byId = new HashMap<>();
        results.values().forEach(r -> byId.put(studyIds.get(r.study().studyInstanceUid()), r.study()));
        int equal = 0;
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM study_label WHERE study_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("integer", byId.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    GeneratedStudy s = byId.get(rs.getInt("study_id"));
                    var key = "chexpert".equals(rs.getString("labeler")) ? s.answerKey().chexpert() : s.answerKey().negbio();
                    boolean same = true;
                    for (Observation o : Observation.values()) {
                        int v = rs.getInt(o.column().toLowerCase().replace(' ', '_'));
                        Double got = rs.wasNull() ? null : (double) v;
                        same &= java.util.Objects.equals(got, key.get(o));
                    }
                    equal += same ? 1 : 0;
                    total++;
                }
            }
        }
        System.out.printf("[faults] label rows equal to the answer key: %d of %d%n", equal, total);
    }

    /**
     * Reads the pipeline's topics from the start and counts, per fault window, the events announced
     * more than once for the same object (redeliveries the idempotent consumers absorbed).
     */
    private void scanEvents() {
        Map<String, Object> c = new HashMap<>(platform.kafkaAdmin());
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("enable.auto.commit", "false");
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED, Topics.INSTANCE_CONVERTED,
                    Topics.REPORT_LABELLED)) {
                consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.timestamp() < began.toEpochMilli()) {
                        continue;
                    }
                    String object = object(r.value());
                    String study = field(r.value(), "studyId");
                    if (study != null) {
                        eventsByStudy.computeIfAbsent(study, k -> new TreeMap<>()).merge(r.topic(), 1, Integer::sum);
                    }
                    if (object != null && seen.merge(r.topic() + "/" + object, 1, Integer::sum) > 1) {
                        window(r.timestamp()).duplicatedEvents++;
                    }
                }
            }
        }
    }

    private static String field(String json, String name) {
        try {
            JsonNode n = JSON.readTree(json).get(name);
            return n == null || n.isNull() ? null : n.asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static String object(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode d = n.get("dicomId");
            JsonNode s = n.get("studyId");
            return d != null && !d.isNull() ? d.asText() : s != null && !s.isNull() ? s.asText() + "/report" : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The fault whose window (from its strike to the next one) holds this moment. */
    private Outcome window(long epochMillis) {
        Outcome w = outcomes.get(0);
        for (Outcome o : outcomes) {
            if (o.struck != null && o.struck.toEpochMilli() <= epochMillis) {
                w = o;
            }
        }
        return w;
    }

    private void printTable(Duration total) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append(String.format("Seed %d, %d studies (%d instances, at most 128x128), %d faults, %.0f s from the first upload to the last drain.%n%n",
                SEED, STUDIES, results.values().stream().mapToInt(r -> r.instances().size()).sum(), outcomes.size(),
                total.toMillis() / 1e3));
        t.append("| # | fault | when (s after start) | studies in flight | lost | duplicated in the catalog | events announced twice (absorbed) | error answers to the client | serving again (s) | drained (s) |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome o : outcomes) {
            t.append(String.format("| %d | %s | %.1f | %d | %d | %d | %d | %d | %.1f | %.1f |%n", o.chunk + 1, o.fault.label(),
                    Duration.between(began, o.struck).toMillis() / 1e3, o.inFlight, o.lost, o.duplicated, o.duplicatedEvents,
                    o.clientErrors.size(),
                    o.toServing.toMillis() / 1e3, o.toDrained == null ? Double.NaN : o.toDrained.toMillis() / 1e3));
        }
        System.out.println("[faults] table\n" + t);
        Path out = platform.repo().resolve("deploy/e2e/target/fault-table.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, t.toString());
    }

    /** {@code ./cxr release}, loaded with pandas: every fed image, study and subject once. */
    private void verifyRelease() throws Exception {
        Path out = platform.dataDir().resolve("release-faults");
        Cxr.Result release = platform.cxr(Duration.ofMinutes(5), "release", out.toString(), "--catalog-url", platform.url("catalog"));
        assertThat(release.exitCode()).as(release.output()).isZero();
        Path wanted = platform.dataDir().resolve("faults-wanted.txt");
        List<String> lines = new ArrayList<>();
        for (IngestUploader.StudyResult r : results.values()) {
            r.instances().forEach(i -> lines.add("image " + i.dicomId()));
            lines.add("study " + r.report().studyId());
        }
        Files.write(wanted, lines);
        String script = """
                import sys, pandas as pd
                out, wanted = sys.argv[1], [l.split() for l in open(sys.argv[2])]
                images = {v for k, v in wanted if k == 'image'}
                studies = {int(v) for k, v in wanted if k == 'study'}
                meta = pd.read_csv(out + '/mimic-cxr-2.0.0-metadata.csv.gz')
                split = pd.read_csv(out + '/mimic-cxr-2.0.0-split.csv.gz')
                chex = pd.read_csv(out + '/mimic-cxr-2.0.0-chexpert.csv.gz')
                neg = pd.read_csv(out + '/mimic-cxr-2.0.0-negbio.csv.gz')
                def once(df, col, ids):
                    got = df[df[col].astype(str).isin({str(i) for i in ids})][col].astype(str)
                    assert len(got) == len(ids) and got.is_unique, (col, len(got), len(ids))
                once(meta, 'dicom_id', images); once(split, 'dicom_id', images)
                once(chex, 'study_id', studies); once(neg, 'study_id', studies)
                print('pandas: release holds', len(images), 'images and', len(studies), 'studies of the run, each once')
                """;
        // Debian's python3 with python3-pandas (.ci/run), not whichever python3 comes first on PATH
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, out.toString(), wanted.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(said).isZero();
        System.out.print("[faults] " + said);
    }

    private static List<Integer> ints(Connection c, String sql, Object... args) throws SQLException {
        return rows(c, sql, args).stream().map(r -> ((Number) r.get(0)).intValue()).toList();
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        return rows(c, sql, args).stream().map(r -> String.valueOf(r.get(0))).toList();
    }

    private static List<List<Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Object[] array) {
                    Array arr = c.createArrayOf(array.length > 0 && array[0] instanceof String ? "varchar" : "integer", array);
                    ps.setArray(i + 1, arr);
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            List<List<Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }
}
