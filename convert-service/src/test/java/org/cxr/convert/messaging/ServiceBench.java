package org.cxr.convert.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.InfraProcess;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.launcher.ServiceProcess;
import org.cxr.local.launcher.ServiceSpec;
import org.cxr.local.testing.SharedData;
import org.cxr.platform.storage.ObjectStore;

/**
 * convert-service as packaged and run by the local launcher (its own JVM, prod profile, -Xmx as
 * the launcher gives it) on a real broker and S3 server: (1) every file of ../shared/data/dicom,
 * (2) N generated full-size chest X-rays (the generator's mix of transfer syntaxes). Each run gets
 * a fresh service JVM; objects are in the raw bucket before the clock starts, then all events are
 * published at once and the clock stops at the last outcome (converted or dead-lettered). Prints
 * wall time, images/s, the service's CPU time and its peak RSS (VmHWM). See
 * bench/service-bench.sh and docs/benchmarks.md (convert-service).
 */
public final class ServiceBench {
    record Run(String name, List<InstanceReceived> events) {
    }

    record Result(String name, int instances, int converted, Map<String, Integer> failed, double wallSeconds,
                  double cpuSeconds, long idleRssKb, long peakRssKb, String loadBefore, String loadAfter) {
    }

    private final Endpoints endpoints;
    private final ObjectStore store;
    private final KafkaProducer<String, String> producer;
    private final Map<String, String> outcomes = new ConcurrentHashMap<>(); // dicomId -> "converted" or reason
    private final int workers;
    private final String heap;

    ServiceBench(Endpoints endpoints, int workers, String heap) {
        this.endpoints = endpoints;
        this.workers = workers;
        this.heap = heap;
        store = new ObjectStore(endpoints.s3Endpoint(), endpoints.s3AccessKey(), endpoints.s3SecretKey());
        store.ensureBucket(Buckets.RAW);
        Properties p = new Properties();
        p.put("bootstrap.servers", endpoints.kafkaBootstrap());
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Thread tap = new Thread(this::tap, "bench-tap");
        tap.setDaemon(true);
        tap.start();
    }

    public static void main(String[] args) throws Exception {
        int fullSize = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int workers = Integer.getInteger("workers", 2);
        String heap = System.getProperty("heap", "1536m");
        List<Result> results = new ArrayList<>();
        try (InfraProcess infra = InfraProcess.startTemporary()) {
            ServiceBench bench = new ServiceBench(infra.endpoints(), workers, heap);
            Path shared = SharedData.root();
            if (shared != null) {
                results.add(bench.run(bench.sharedSet(shared.resolve("data/dicom"))));
            } else {
                System.err.println("no ../shared: the shared-set run is skipped");
            }
            if (fullSize > 0) {
                results.add(bench.run(bench.generated(fullSize)));
            }
            bench.producer.close();
        }
        System.out.printf(Locale.ROOT, "%n%d workers, -Xmx%s, %d cores%n", workers, heap,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| run | instances | converted | dead-lettered | wall s | images/s | service CPU s | CPU ms/image"
                + " | RSS idle MB | peak RSS MB | load before -> after |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %.1f | %.2f | %.1f | %.0f | %d | %d | %s -> %s |%n",
                    r.name(), r.instances(), r.converted(), r.failed().isEmpty() ? "0" : r.failed().toString(),
                    r.wallSeconds(), r.instances() / r.wallSeconds(), r.cpuSeconds(),
                    r.cpuSeconds() * 1000 / r.instances(), r.idleRssKb() / 1024, r.peakRssKb() / 1024,
                    r.loadBefore(), r.loadAfter());
        }
    }

    Run sharedSet(Path dir) throws IOException {
        List<InstanceReceived> events = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                events.add(upload(Files.readAllBytes(f)));
            }
        }
        return new Run("shared set (" + dir.getFileName() + ")", events);
    }

    Run generated(int count) {
        List<InstanceReceived> events = new ArrayList<>();
        GeneratorOptions options = GeneratorOptions.defaults().withPhi(false);
        for (GeneratedStudy s : new StudyGenerator(2026, options)) {
            for (GeneratedInstance i : s.instances()) {
                if (events.size() < count) {
                    events.add(upload(i.bytes()));
                }
            }
            if (events.size() == count) {
                break;
            }
        }
        return new Run("generated full-size", events);
    }

    /** Stores a DICOM under fresh research ids (as ingest would) and returns its event. */
    private InstanceReceived upload(byte[] dicom) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String subject = String.valueOf(10_000_000 + r.nextInt(10_000_000));
        String study = String.valueOf(50_000_000 + r.nextInt(10_000_000));
        String dicomId = String.format("%08x-%08x-%08x-%08x-%08x", r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(),
                r.nextInt());
        String key = ObjectKeys.dicom(subject, study, dicomId);
        store.put(Buckets.RAW, key, dicom, "application/dicom", Map.of());
        return new InstanceReceived(InstanceReceived.SCHEMA_VERSION, subject, study, dicomId, Buckets.RAW, key,
                sha256(dicom), dicom.length, null, null, Source.IMPORT, Instant.now());
    }

    Result run(Run run) throws Exception {
        Map<String, String> env = new HashMap<>(endpoints.environment(null));
        env.put("CXR_CONVERT_WORKERS", Integer.toString(workers));
        Path root = LocalClasspath.repoRoot();
        ServiceSpec spec = new ServiceSpec("convert-bench", "convert-service", 8082, null, heap);
        try (ServiceProcess service = ServiceProcess.start(spec, root, FreePorts.pick(18082), env,
                Path.of(System.getProperty("java.io.tmpdir"), "cxr-convert-bench-logs"))) {
            service.awaitReady(Duration.ofMinutes(3));
            Thread.sleep(2000);
            long idleRss = status(service.pid(), "VmRSS");
            long cpu0 = cpuTicks(service.pid());
            String load0 = load();
            long t0 = System.nanoTime();
            for (InstanceReceived e : run.events()) {
                producer.send(new ProducerRecord<>(Topics.INSTANCE_RECEIVED, e.studyId(), EventJson.write(e)));
            }
            producer.flush();
            Set<String> ids = new java.util.HashSet<>();
            run.events().forEach(e -> ids.add(e.dicomId()));
            long deadline = System.currentTimeMillis() + 30 * 60_000;
            while (!outcomes.keySet().containsAll(ids)) {
                if (System.currentTimeMillis() > deadline || !service.alive()) {
                    throw new IllegalStateException(run.name() + ": " + ids.stream().filter(i -> !outcomes.containsKey(i))
                            .count() + " instances without outcome (service alive: " + service.alive() + ")");
                }
                Thread.sleep(50);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            long cpu1 = cpuTicks(service.pid());
            long peak = status(service.pid(), "VmHWM");
            int converted = 0;
            Map<String, Integer> failed = new TreeMap<>();
            for (String id : ids) {
                String o = outcomes.get(id);
                if (o.equals("converted")) {
                    converted++;
                } else {
                    failed.merge(o, 1, Integer::sum);
                }
            }
            Result r = new Result(run.name(), ids.size(), converted, failed, wall, (cpu1 - cpu0) / 100.0, idleRss, peak,
                    load0, load());
            System.err.println(r);
            return r;
        }
    }

    private void tap() {
        Properties c = new Properties();
        c.put("bootstrap.servers", endpoints.kafkaBootstrap());
        c.put("group.id", "convert-bench-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        c.put("metadata.max.age.ms", "1000");
        try (var consumer = new KafkaConsumer<String, String>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INSTANCE_CONVERTED, Topics.CONVERT_DLQ));
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(Topics.INSTANCE_CONVERTED)) {
                        outcomes.put(EventJson.read(r.value(), InstanceConverted.class).dicomId(), "converted");
                    } else {
                        DeadLetter d = EventJson.read(r.value(), DeadLetter.class);
                        if (d.dicomId() != null) {
                            outcomes.put(d.dicomId(), d.reason().name());
                        }
                    }
                }
            }
        }
    }

    /** A /proc/PID/status value in kB (VmRSS: now, VmHWM: the peak). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /** utime + stime of the process, in clock ticks (1/100 s). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String load() throws IOException {
        String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return l[0];
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
