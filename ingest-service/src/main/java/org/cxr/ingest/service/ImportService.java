package org.cxr.ingest.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.ImportWalker.Item;
import org.cxr.ingest.domain.intake.ImportWalker.Kind;
import org.cxr.ingest.domain.intake.ImportWalker.Layout;
import org.cxr.ingest.domain.intake.ImportWalker;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.Outcome;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;
import org.cxr.ingest.repository.IngestRepository.ImportRow;
import org.cxr.ingest.repository.IngestRepository;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Imports a folder of the service's own filesystem (MIMIC-CXR tree or plain folder): DICOMs in
 * parallel ({@code cxr.ingest.import.threads}), then reports. A file that meets an outage is
 * retried with backoff; progress is kept in memory and saved to {@code import_job}.
 */
@ApplicationScoped
public class ImportService {
    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final int MAX_ATTEMPTS = 8;

    @Inject
    IngestConfig config;
    @Inject
    IntakeService intake;
    @Inject
    IngestRepository repo;
    @Inject
    ObjectMapper json;
    @Inject
    org.cxr.ingest.messaging.EventPublisher publisher;

    private final Map<UUID, ImportTally> running = new ConcurrentHashMap<>();
    private final ExecutorService coordinators = Executors.newCachedThreadPool(r -> thread(r, "import"));
    private ExecutorService workers;

    void onStart(@Observes StartupEvent ev) {
        workers = Executors.newFixedThreadPool(config.imports().threads(), r -> thread(r, "import-worker"));
        int n = interrupt();
        if (n > 0) {
            LOG.warnf("%d import(s) were running when the service stopped: marked INTERRUPTED (start them again;"
                    + " files already stored answer DUPLICATE)", n);
        }
    }

    @Transactional
    int interrupt() {
        return repo.interruptRunningImports();
    }

    @PreDestroy
    void stop() {
        coordinators.shutdownNow();
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A request that cannot start (bad path, layout or root). */
    public static class BadImport extends Exception {
        public BadImport(String message) {
            super(message);
        }
    }

    public ImportTally.View start(String path, String layoutName) throws BadImport {
        if (path == null || path.isBlank()) {
            throw new BadImport("path is required");
        }
        Path root = Path.of(path);
        if (!root.isAbsolute() || !root.normalize().equals(root)) {
            throw new BadImport("path must be absolute and normalised (no . or .. segments)");
        }
        if (!Files.isDirectory(root)) {
            throw new BadImport("not a directory on the ingest service's filesystem");
        }
        Layout layout = layout(layoutName);
        Optional<List<Path>> allowed = config.imports().allowedRoots();
        if (allowed.isPresent() && !allowed.get().isEmpty()) {
            Path real;
            try {
                real = root.toRealPath();
            } catch (IOException e) {
                throw new BadImport("path cannot be resolved");
            }
            if (allowed.get().stream().noneMatch(real::startsWith)) {
                throw new BadImport("path is outside cxr.ingest.import.allowed-roots");
            }
        }
        ImportTally p = new ImportTally(UUID.randomUUID(), root.toString(), layout.name().toLowerCase(), Instant.now());
        running.put(p.id, p);
        save(p);
        coordinators.submit(() -> run(p, root, layout));
        return p.view();
    }

    /**
     * {@code mimic} only when asked for: it is the caller's statement that the tree is already
     * de-identified (a MIMIC-CXR release), stored byte for byte. {@code auto} (or none) is always
     * {@code folder}, whatever the tree looks like: a folder of identified files that happens to
     * hold {@code files/} must not skip de-identification.
     */
    static Layout layout(String name) throws BadImport {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) {
            return Layout.FOLDER;
        }
        try {
            return Layout.valueOf(name.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new BadImport("layout must be mimic, folder or auto");
        }
    }

    public Optional<ImportTally.View> get(UUID id) {
        ImportTally p = running.get(id);
        if (p != null) {
            return Optional.of(p.view());
        }
        return loadRow(id).map(this::fromRow);
    }

    public List<ImportTally.View> list() {
        List<ImportTally.View> out = new ArrayList<>();
        for (ImportRow r : rows()) {
            ImportTally p = running.get(r.id());
            out.add(p != null ? p.view() : fromRow(r));
        }
        return out;
    }

    @Transactional
    Optional<ImportRow> loadRow(UUID id) {
        return repo.importJob(id);
    }

    @Transactional
    List<ImportRow> rows() {
        return repo.imports(100);
    }

    private ImportTally.View fromRow(ImportRow r) {
        try {
            return json.readValue(r.counters(), ImportTally.View.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable import_job.counters of " + r.id(), e);
        }
    }

    private void run(ImportTally p, Path root, Layout layout) {
        announceQuietly(p);
        try {
            List<Item> items = ImportWalker.walk(root, layout);
            p.filesTotal.set(items.size());
            LOG.infof("import %s: %d files (%s layout)", p.id, items.size(), layout);
            Semaphore inFlight = new Semaphore(config.imports().threads() * 2);
            List<Future<?>> reportsPhase = new ArrayList<>();
            List<Future<?>> dicomPhase = new ArrayList<>();
            for (Item item : items) {
                if (item.kind() == Kind.REPORT && reportsPhase.isEmpty()) {
                    awaitAll(dicomPhase); // reports need their studies
                }
                inFlight.acquire();
                Future<?> f = workers.submit(() -> {
                    try {
                        process(p, item);
                    } finally {
                        inFlight.release();
                    }
                });
                (item.kind() == Kind.REPORT ? reportsPhase : dicomPhase).add(f);
            }
            awaitAll(dicomPhase);
            awaitAll(reportsPhase);
            p.state = ImportTally.State.DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.state = ImportTally.State.INTERRUPTED;
        } catch (IOException | RuntimeException e) {
            p.state = ImportTally.State.FAILED;
            p.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf("import %s failed: %s", p.id, p.error);
        } finally {
            p.finishedAt = Instant.now();
            saveQuietly(p);
            announceQuietly(p);
            running.remove(p.id);
            ImportTally.View v = p.view();
            LOG.infof("import %s %s: %d files, %d accepted, %d duplicates/unchanged, %d conflicts, %d rejected,"
                    + " %d failed, %d skipped in %.1f s", p.id, v.state(), v.filesSeen(), v.accepted(), v.duplicates(),
                    v.conflicts(), v.rejected(), v.failed(), v.skipped(), v.elapsedSeconds());
        }
    }

    private static void awaitAll(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void process(ImportTally p, Item item) {
        try {
            if (item.rejected() != null) {
                p.instances.get(Outcome.REJECTED).incrementAndGet();
                p.reason(item.rejected().reason().name());
                return;
            }
            if (item.kind() == Kind.SKIPPED) {
                p.skipped.incrementAndGet();
                return;
            }
            long size = Files.size(item.file());
            long limit = item.kind() == Kind.REPORT ? config.maxReportBytes() : config.maxObjectBytes();
            if (size > limit) {
                (item.kind() == Kind.REPORT ? p.reports : p.instances).get(Outcome.REJECTED).incrementAndGet();
                p.reason(RejectReason.TOO_LARGE.name());
                return;
            }
            p.bytes.addAndGet(size);
            if (item.kind() == Kind.DICOM && size > config.inMemoryBytes()) {
                // a large file is streamed from where it lies, never read whole into memory
                InstanceResult r = withRetry(() -> intake.receiveInstance(item.file(), Source.IMPORT, item.ids(), null));
                p.instances.get(r.status()).incrementAndGet();
                if (r.reason() != null) {
                    p.reason(r.reason().name());
                }
                return;
            }
            byte[] bytes = Files.readAllBytes(item.file());
            if (item.kind() == Kind.REPORT) {
                ReportResult r = withRetry(() -> item.ids() != null
                        ? intake.receiveMimicReport(item.ids(), bytes, Source.IMPORT)
                        : intake.receiveReport(stem(item.file()), bytes, null, null, null, Source.IMPORT));
                p.reports.get(r.status()).incrementAndGet();
                if (r.reason() != null) {
                    p.reason(r.reason().name());
                }
            } else {
                InstanceResult r = withRetry(() -> intake.receiveInstance(bytes, Source.IMPORT, item.ids()));
                p.instances.get(r.status()).incrementAndGet();
                if (r.reason() != null) {
                    p.reason(r.reason().name());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            p.failed.incrementAndGet();
            p.reason("IO_ERROR");
        } catch (Unavailable | DatabaseUnavailable e) {
            p.failed.incrementAndGet();
            p.reason("UNAVAILABLE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.failed.incrementAndGet();
            p.reason("INTERRUPTED");
        } finally {
            p.filesSeen.incrementAndGet();
        }
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private <T> T withRetry(java.util.function.Supplier<T> call) throws InterruptedException {
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (Unavailable | DatabaseUnavailable e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                long pause = (long) (backoff * java.util.concurrent.ThreadLocalRandom.current().nextDouble(0.8, 1.2)); // jitter
                LOG.warnf("import: %s; retrying in %d ms (attempt %d of %d)", e.getMessage(), pause, attempt, MAX_ATTEMPTS);
                Thread.sleep(pause);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void saveProgress() {
        for (ImportTally p : running.values()) {
            saveQuietly(p);
            announceQuietly(p);
        }
    }

    /**
     * Where the import stands, for the catalog's pipeline page (cxr.import-progress): at the start,
     * every 2 s and at the end. Each event is the whole state, so one lost while the broker is down
     * is made good by the next; the import itself never waits for it.
     */
    private void announceQuietly(ImportTally p) {
        try {
            publisher.announce(p.event());
        } catch (RuntimeException e) {
            LOG.debugf("import %s: progress not announced (%s)", p.id, e.getClass().getSimpleName());
        }
    }

    private void saveQuietly(ImportTally p) {
        try {
            save(p);
        } catch (RuntimeException e) {
            LOG.debugf("import %s: progress not saved (%s)", p.id, e.getMessage());
        }
    }

    @Transactional
    void save(ImportTally p) {
        try {
            ImportTally.View v = p.view();
            repo.upsertImport(new ImportRow(p.id, p.path, p.layout, v.state(), json.writeValueAsString(v), p.startedAt,
                    Instant.now(), p.finishedAt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
