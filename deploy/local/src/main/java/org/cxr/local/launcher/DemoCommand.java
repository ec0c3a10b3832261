package org.cxr.local.launcher;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.cxr.events.Topics;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.upload.IngestUploader;
import org.cxr.local.infra.Secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./cxr demo}: runs the platform (or attaches to a running one), feeds it generated studies
 * through the ingest REST API and prints the dataset growing, stage by stage, until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the platform, feed generated studies continuously, show live progress (Ctrl-C stops).")
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    PlatformMain.Common common = new PlatformMain.Common();

    @Option(names = "--studies", description = "stop feeding after N studies (0 = keep going until Ctrl-C; default ${DEFAULT-VALUE})")
    long studies = 0;

    @Option(names = "--seed", description = "generator seed (default ${DEFAULT-VALUE})")
    long seed = 20261127L;

    @Option(names = "--max-size", description = "cap image rows and columns (default ${DEFAULT-VALUE}; 0 = realistic sizes up to 3000)")
    int maxSize = 2048;

    @Option(names = "--in-flight", description = "studies being uploaded at once (default ${DEFAULT-VALUE})")
    int inFlight = 4;

    @Option(names = "--interval", description = "seconds between progress lines (default ${DEFAULT-VALUE})")
    int interval = 3;

    @Option(names = "--exit-when-done", description = "with --studies: stop once every fed study is indexed")
    boolean exitWhenDone;

    @Option(names = "--via", description = "how studies reach ingest: rest (its REST API) or dimse (images by DICOM"
            + " C-STORE, reports as HL7 ORU^R01 over MLLP, as a PACS and a RIS send them); default ${DEFAULT-VALUE}")
    String via = "rest";

    /** What one study's sending came to: its instances, and what went wrong (nothing: all stored). */
    record Sent(int instances, List<String> problems) {
    }

    /** One way of sending studies to ingest. */
    interface StudySender extends AutoCloseable {
        CompletableFuture<Sent> send(GeneratedStudy study);
    }

    @Override
    public Integer call() throws Exception {
        PlatformConfig config = common.config();
        Optional<PlatformState> running = PlatformState.read(config.stateFile()).filter(PlatformState::alive);
        Platform platform = null;
        PlatformState state;
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        if (running.isPresent() && PlatformState.READY.equals(running.get().phase())) {
            state = running.get();
            PlatformMain.OUT.println("cxr: feeding the platform already running (pid " + state.supervisorPid() + ")");
        } else {
            long t0 = System.nanoTime();
            platform = new Platform(config);
            Platform p = platform;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                stop.countDown();
                PlatformMain.OUT.println("\ncxr: stopping ...");
                p.close();
                PlatformMain.OUT.println("cxr: stopped; no process left.");
            }, "demo-stop"));
            PlatformMain.OUT.println("cxr: starting Kafka, PostgreSQL, S3 and the four services ...");
            state = platform.start(Duration.ofMinutes(5));
            PlatformMain.OUT.printf("cxr: ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        if (platform == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                stop.countDown();
            }, "demo-stop"));
        }
        PlatformMain.printReady(state, config, true);

        GeneratorOptions options = GeneratorOptions.defaults();
        if (maxSize > 0) {
            options = options.withMaxSize(maxSize, maxSize);
        }
        StudySender sender;
        if ("dimse".equals(via)) {
            Map<String, String> listeners = state.listeners() == null ? Map.of() : state.listeners();
            if (!listeners.containsKey("dimse") || !listeners.containsKey("hl7")) {
                PlatformMain.OUT.println("cxr: this platform's ingest has no DICOM/HL7 listeners (started by an older"
                        + " launcher?): ./cxr down, then ./cxr demo --via dimse");
                return 2;
            }
            sender = new HospitalSender(listeners.get("dimse"), listeners.get("hl7"), inFlight);
        } else if ("rest".equals(via)) {
            sender = new RestSender(new IngestUploader(URI.create(state.serviceUrls().get("ingest")), inFlight * 2)
                    .withBearerToken(TokenCommand.renewing(new Secrets(config.dataDir()), List.of("uploader"))));
        } else {
            PlatformMain.OUT.println("cxr: --via is rest or dimse, not " + via);
            return 2;
        }
        Progress progress = new Progress(state, new Secrets(config.dataDir())); // before the first study: its baseline
        Feeder feeder = new Feeder(new StudyGenerator(seed, options), sender, studies, inFlight, stopping);
        Thread feed = new Thread(feeder, "demo-feed");
        feed.setDaemon(true);
        feed.start();
        PlatformMain.OUT.println("cxr: feeding generated studies (seed " + seed + ") to ingest "
                + ("dimse".equals(via) ? "over DICOM C-STORE " + state.listeners().get("dimse") + " and HL7 MLLP "
                        + state.listeners().get("hl7") : "over REST") + "; Ctrl-C stops.");

        while (!stop.await(interval, java.util.concurrent.TimeUnit.SECONDS)) {
            if (platform == null && PlatformState.read(config.stateFile()).filter(PlatformState::alive).isEmpty()) {
                // feeding a platform started by `./cxr up`, which was stopped meanwhile
                PlatformMain.OUT.println("cxr: the platform this demo was feeding has stopped (./cxr down?); demo ends.");
                return 1;
            }
            Progress.Line line = progress.sample(feeder);
            PlatformMain.OUT.println(line.text());
            if (platform != null && !platform.down().isEmpty()) {
                PlatformMain.OUT.println("cxr: restarting " + platform.down() + " (they exited; see "
                        + config.logDir() + ")");
            }
            if (exitWhenDone && feeder.done() && line.complete() + line.failedStudies() >= feeder.studiesAccepted()) {
                PlatformMain.OUT.println("cxr: every fed study is indexed.");
                return feeder.failures() == 0 ? 0 : 1;
            }
        }
        return 0;
    }

    /** The ingest REST API through the generator's uploader. */
    static final class RestSender implements StudySender {
        private final IngestUploader uploader;

        RestSender(IngestUploader uploader) {
            this.uploader = uploader;
        }

        @Override
        public CompletableFuture<Sent> send(GeneratedStudy study) {
            return uploader.submit(study).thenApply(r -> {
                List<String> problems = new java.util.ArrayList<>();
                if (r.report() == null || "REJECTED".equals(r.report().status())) {
                    problems.add("report " + (r.report() == null ? "not answered" : "REJECTED"));
                }
                for (IngestUploader.InstanceResult i : r.instances()) {
                    if (!"ACCEPTED".equals(i.status()) && !"DUPLICATE".equals(i.status())) {
                        problems.add(i.status() + " " + i.reason());
                    }
                }
                return new Sent(r.instances().size(), problems);
            });
        }

        @Override
        public void close() {
            uploader.close();
        }
    }

    /** Sends generated studies, keeping a bounded number in flight. */
    static final class Feeder implements Runnable {
        private final Iterator<GeneratedStudy> studies;
        private final StudySender sender;
        private final long limit;
        private final int inFlight;
        private final AtomicBoolean stopping;
        private final AtomicLong uploaded = new AtomicLong();
        private final AtomicLong instances = new AtomicLong();
        private final AtomicLong accepted = new AtomicLong();
        private final Map<String, AtomicLong> problems = new ConcurrentHashMap<>();
        private volatile boolean done;

        Feeder(StudyGenerator generator, StudySender sender, long limit, int inFlight, AtomicBoolean stopping) {
            this.studies = generator.iterator();
            this.sender = sender;
            this.limit = limit;
            this.inFlight = inFlight;
            this.stopping = stopping;
        }

        @Override
        public void run() {
            ArrayDeque<CompletableFuture<Sent>> open = new ArrayDeque<>();
            try (StudySender s = sender) {
                long n = 0;
                while (!stopping.get() && (limit == 0 || n < limit) && studies.hasNext()) {
                    while (open.size() >= inFlight) {
                        collect(open.poll());
                    }
                    open.add(s.send(studies.next()));
                    n++;
                }
                while (!open.isEmpty()) {
                    collect(open.poll());
                }
            } catch (Exception e) {
                problems.computeIfAbsent("feed stopped: " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
            } finally {
                done = true;
            }
        }

        private void collect(CompletableFuture<Sent> f) {
            try {
                Sent sent = f.join();
                uploaded.incrementAndGet();
                instances.addAndGet(sent.instances());
                sent.problems().forEach(p -> problems.computeIfAbsent(p, k -> new AtomicLong()).incrementAndGet());
                if (sent.problems().isEmpty()) {
                    accepted.incrementAndGet();
                }
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    problems.computeIfAbsent(String.valueOf(e.getCause() == null ? e : e.getCause()),
                            k -> new AtomicLong()).incrementAndGet();
                }
            }
        }

        boolean done() {
            return done;
        }

        long studiesAccepted() {
            return accepted.get();
        }

        long failures() {
            return problems.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    /** One progress line per sample, with rates since the previous sample. */
    static final class Progress {
        record Line(String text, long complete, long failedStudies) {
        }

        private final PlatformState state;
        private final Secrets secrets;
        private final StageCounters counters;
        private Map<String, Long> previous;
        private long previousComplete;
        private long previousAt = System.nanoTime();

        /** COMPLETE and FAILED studies before this demo fed any (a platform that ran before has some). */
        private final long[] baseline;

        Progress(PlatformState state, Secrets secrets) {
            this.state = state;
            this.secrets = secrets;
            this.counters = new StageCounters(Platform.adminClientConfig(state.endpoints().kafkaBootstrap(), secrets));
            this.baseline = studiesByState();
        }

        /** The catalog's COMPLETE and FAILED study counts (zeros while it does not answer). */
        private long[] studiesByState() {
            Optional<String> body = PlatformMain.get(state.serviceUrls().get("catalog") + "/stats/states",
                    TokenCommand.mint(secrets, TokenCommand.cliUser(), List.of("researcher"), Duration.ofMinutes(5)));
            if (body.isPresent()) {
                try {
                    JsonNode states = JSON.readTree(body.get()).path("studiesByState");
                    return new long[] {states.path("COMPLETE").asLong(), states.path("FAILED").asLong()};
                } catch (Exception e) {
                    // catalog still starting
                }
            }
            return new long[] {0, 0};
        }

        Line sample(Feeder feeder) {
            long now = System.nanoTime();
            double secs = Math.max(0.001, (now - previousAt) / 1e9);
            Map<String, Long> c;
            Map<String, Long> lag;
            try {
                c = counters.topicCounts();
                lag = counters.lag();
            } catch (Exception e) {
                return new Line("cxr: Kafka not answering (" + e.getMessage() + ")", 0, 0);
            }
            long[] states = studiesByState();
            long complete = states[0] - baseline[0];
            long failed = states[1] - baseline[1];
            Map<String, Long> prev = previous == null ? c : previous;
            String text = String.format(
                    "fed %d studies (%d instances) | received %d | converted %d (%.1f/s, %d failed) | reports %d"
                            + " -> labelled %d (%.1f/s) | complete studies %d (%.1f/s)%s | lag convert %d label %d catalog %d%s",
                    feeder.uploaded.get(), feeder.instances.get(), c.get(Topics.INSTANCE_RECEIVED),
                    c.get(Topics.INSTANCE_CONVERTED), rate(c, prev, Topics.INSTANCE_CONVERTED, secs),
                    c.get(Topics.CONVERT_DLQ), c.get(Topics.REPORT_RECEIVED), c.get(Topics.REPORT_LABELLED),
                    rate(c, prev, Topics.REPORT_LABELLED, secs), complete, (complete - previousComplete) / secs,
                    failed > 0 ? " (" + failed + " failed)" : "", lag.getOrDefault("convert-service", 0L),
                    lag.getOrDefault("label-service", 0L), lag.getOrDefault("catalog-service", 0L),
                    feeder.problems.isEmpty() ? "" : " | upload problems " + feeder.problems);
            previous = c;
            previousComplete = complete;
            previousAt = now;
            return new Line(text, complete, failed);
        }

        private static double rate(Map<String, Long> now, Map<String, Long> before, String topic, double secs) {
            return (now.get(topic) - before.get(topic)) / secs;
        }
    }
}
