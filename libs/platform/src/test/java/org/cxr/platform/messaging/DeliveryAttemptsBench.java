package org.cxr.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.local.infra.InfraProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What counting attempts costs a stage per record: {@link DeliveryAttempts#run} with a handler that
 * does nothing (one acknowledged write to the attempt log, one tombstone), one thread and four
 * threads (convert's workers on this machine), against the test broker. Run:
 * <pre>mvn -pl libs/platform test -Dtest=DeliveryAttemptsBench -Dcxr.bench=true</pre>
 */
@EnabledIfSystemProperty(named = "cxr.bench", matches = "true")
class DeliveryAttemptsBench {
    @Test
    void overheadPerRecord() throws Exception {
        OutageRetry retry = new OutageRetry(Duration.ofMillis(50), Duration.ofMillis(200), () -> false, (w, e, p) -> { });
        try (DeliveryAttempts attempts = new DeliveryAttempts(
                Map.of("bootstrap.servers", InfraProcess.shared().endpoints().kafkaBootstrap()),
                new DeliveryAttempts.Settings("bench", "cxr.bench-" + UUID.randomUUID() + ".attempts", 3,
                        DeliveryAttempts.MAX_EVENT_BYTES), retry, () -> false)) {
            AtomicLong offset = new AtomicLong();
            Runnable one = () -> attempts.run(new ConsumerRecord<>("cxr.instance-received", 0, offset.incrementAndGet(),
                    "50000001", "{}"), () -> { }, (r, m, c, h) -> { });
            for (int i = 0; i < 200; i++) {
                one.run(); // warm-up
            }
            for (int threads : new int[] {1, 4}) {
                int n = 2000;
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    done.add(pool.submit(one));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                System.out.printf("[bench] %d thread(s): %d records in %.2f s = %.0f records/s, %.2f ms per record"
                        + " per thread (load %s)%n", threads, n, secs, n / secs, secs * 1000 * threads / n,
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
            }
        }
    }
}
