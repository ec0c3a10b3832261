package org.cxr.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.DropFolderFiles;
import org.cxr.ingest.domain.intake.DropFolderFiles.Staged;
import org.cxr.ingest.domain.intake.FileStability;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.Outcome;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * The drop folder ({@code cxr.ingest.drop-folder}): files appear at any time; a file is taken once
 * complete ({@link FileStability}) by renaming it into the service's own {@code .staging/} folder
 * ({@link DropFolderFiles}: a symbolic link or a FIFO swapped in by a writer is refused by its
 * type, never followed or opened), then it goes to {@code processed/} (accepted, duplicate,
 * unchanged; deleted at once or after {@code drop-folder-processed-retention}: they are the
 * identified originals) or {@code quarantine/} with {@code <file>.reason.txt} (rejected, conflict).
 * Reports are {@code <StudyInstanceUID>.txt}; one whose study has no instance yet waits for it up to
 * {@code drop-folder-report-wait}. An outage is retried with backoff and jitter; after
 * {@code drop-folder-max-attempts} the file is quarantined {@code UNAVAILABLE}. Names starting with
 * '.' or ending in .part/.tmp/.partial are in-progress writes and ignored.
 */
@ApplicationScoped
public class DropFolderWatcher {
    private static final Logger LOG = Logger.getLogger(DropFolderWatcher.class);
    static final String PROCESSED = "processed";
    static final String QUARANTINE = "quarantine";
    static final String STAGING = ".staging";
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    @Inject
    IngestConfig config;
    @Inject
    IntakeService intake;

    private FileStability stability;
    /** Staged files not finished yet, by their path relative to the drop folder. */
    private final Map<Path, Pending> pending = new LinkedHashMap<>();
    private Instant nextPurge = Instant.MIN;

    private static final class Pending {
        final Path staged;
        final Instant since;
        int attempts;
        Instant nextTry;

        Pending(Path staged, Instant since) {
            this.staged = staged;
            this.since = since;
            this.nextTry = since;
        }
    }

    @Scheduled(every = "${cxr.ingest.drop-folder-scan-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        if (config.dropFolder().isEmpty()) {
            return; // no drop folder configured
        }
        Path root = config.dropFolder().get().toAbsolutePath();
        Path staging = root.resolve(STAGING);
        try {
            if (stability == null) {
                stability = new FileStability(config.dropFolderStableFor());
                LOG.infof("watching drop folder %s", root);
                Files.createDirectories(staging);
                adoptLeftovers(staging); // staged by a previous run that stopped before finishing them
            }
            Files.createDirectories(root.resolve(PROCESSED));
            Files.createDirectories(root.resolve(QUARANTINE));
            Instant now = Instant.now();
            for (Path file : stability.complete(list(root), now)) {
                Path rel = root.relativize(file);
                var staged = DropFolderFiles.stage(file, staging.resolve(rel));
                stability.forget(file);
                staged.ifPresent(s -> pending.put(staging.relativize(s.path()), new Pending(s.path(), now)));
            }
            for (var e : new ArrayList<>(pending.entrySet())) {
                if (!now.isBefore(e.getValue().nextTry)) {
                    take(root, e.getKey(), e.getValue(), now);
                }
            }
            purgeProcessed(root, now);
        } catch (IOException e) {
            LOG.warnf("drop folder scan failed: %s", e.getMessage());
        }
    }

    private void adoptLeftovers(Path staging) throws IOException {
        Instant now = Instant.now();
        Files.walkFileTree(staging, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                pending.put(staging.relativize(file), new Pending(file, now));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private List<FileStability.Seen> list(Path root) throws IOException {
        List<FileStability.Seen> seen = new ArrayList<>();
        Path processed = root.resolve(PROCESSED);
        Path quarantine = root.resolve(QUARANTINE);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(processed) || dir.equals(quarantine)
                        || !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // attributes of the entry itself (links are not followed): FIFOs and links are taken too, then refused
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!name.startsWith(".") && !name.endsWith(".part") && !name.endsWith(".tmp") && !name.endsWith(".partial")) {
                    seen.add(new FileStability.Seen(file, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE; // vanished or unreadable right now: next scan
            }
        });
        return seen;
    }

    private void take(Path root, Path rel, Pending p, Instant now) throws IOException {
        Staged s = DropFolderFiles.inspect(p.staged);
        if (s.type() == DropFolderFiles.Type.SYMBOLIC_LINK) {
            done(root, rel, p, QUARANTINE, RejectReason.PATH_OUTSIDE_ROOT + ": a symbolic link (drop the file itself)", now);
            return;
        }
        if (s.type() != DropFolderFiles.Type.REGULAR) {
            done(root, rel, p, QUARANTINE, RejectReason.PATH_OUTSIDE_ROOT + ": not a regular file (FIFO, socket or device)", now);
            return;
        }
        boolean report = rel.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt");
        long limit = report ? config.maxReportBytes() : config.maxObjectBytes();
        if (s.size() > limit) {
            done(root, rel, p, QUARANTINE, RejectReason.TOO_LARGE + ": over the limit of " + limit + " bytes", now);
            return;
        }
        try {
            if (!report && s.size() > config.inMemoryBytes()) {
                // large: streamed from the staged file (ours alone; nothing can swap it any more)
                InstanceResult r = intake.receiveInstance(p.staged, Source.DROP_FOLDER, null, null);
                boolean bad = r.status() == Outcome.REJECTED || r.status() == Outcome.CONFLICT;
                done(root, rel, p, bad ? QUARANTINE : PROCESSED,
                        (r.reason() == null ? r.status().name() : r.reason().name()) + (r.message() == null ? "" : ": " + r.message()), now);
                return;
            }
            byte[] bytes = read(p.staged, limit);
            if (report) {
                ReportResult r = intake.receiveReport(ImportService.stem(rel), bytes, null, null, null, Source.DROP_FOLDER);
                if (r.reason() == RejectReason.UNKNOWN_STUDY
                        && Duration.between(p.since, now).compareTo(config.dropFolderReportWait()) < 0) {
                    p.nextTry = now.plus(reportRetry()); // the study's instances may still come
                    return;
                }
                done(root, rel, p, r.status() == Outcome.REJECTED ? QUARANTINE : PROCESSED,
                        r.reason() == null ? r.status().name() : r.reason() + ": " + r.message(), now);
            } else {
                InstanceResult r = intake.receiveInstance(bytes, Source.DROP_FOLDER, null);
                boolean bad = r.status() == Outcome.REJECTED || r.status() == Outcome.CONFLICT;
                done(root, rel, p, bad ? QUARANTINE : PROCESSED,
                        (r.reason() == null ? r.status().name() : r.reason().name()) + (r.message() == null ? "" : ": " + r.message()), now);
            }
        } catch (Unavailable | DatabaseUnavailable e) {
            p.attempts++;
            if (p.attempts >= config.dropFolderMaxAttempts()) {
                LOG.warnf("drop folder: %s; quarantined after %d attempts", e.getMessage(), p.attempts);
                done(root, rel, p, QUARANTINE, "UNAVAILABLE: " + p.attempts + " attempts failed, the last with: "
                        + e.getMessage() + " (move the file back into the drop folder to try again)", now);
                return;
            }
            p.nextTry = now.plus(backoff(p.attempts));
            LOG.warnf("drop folder: %s; attempt %d of %d, next in %d ms", e.getMessage(), p.attempts,
                    config.dropFolderMaxAttempts(), Duration.between(now, p.nextTry).toMillis());
        }
    }

    /** The staged file's bytes, read without following links and never past {@code limit}. */
    private static byte[] read(Path staged, long limit) throws IOException {
        try (InputStream in = Files.newInputStream(staged, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (b.length > limit) {
                throw new IOException("grew over the limit after staging");
            }
            return b;
        }
    }

    /** Exponential from the scan interval up to {@code drop-folder-max-backoff}, with ±20 % jitter (replicas do not retry in step). */
    Duration backoff(int attempts) {
        long base = config.dropFolderScanInterval().toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, config.dropFolderMaxBackoff().toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** How often a waiting report is tried again: a tenth of its wait, at most 30 s. */
    private Duration reportRetry() {
        Duration d = config.dropFolderReportWait().dividedBy(10);
        return d.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : d;
    }

    private void done(Path root, Path rel, Pending p, String folder, String reason, Instant now) throws IOException {
        pending.remove(rel);
        if (PROCESSED.equals(folder) && config.dropFolderProcessedRetention().isZero()) {
            Files.deleteIfExists(p.staged); // the identified original is not needed once stored de-identified
            return;
        }
        Path to = DropFolderFiles.moveStamped(p.staged, root.resolve(folder).resolve(rel), now);
        if (QUARANTINE.equals(folder)) {
            Files.writeString(to.resolveSibling(to.getFileName() + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
        }
    }

    private void purgeProcessed(Path root, Instant now) throws IOException {
        Duration keep = config.dropFolderProcessedRetention();
        if (keep.isZero() || now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY.compareTo(keep) < 0 ? PURGE_EVERY : keep);
        int n = DropFolderFiles.purge(root.resolve(PROCESSED), now.minus(keep));
        if (n > 0) {
            LOG.infof("drop folder: %d processed original(s) older than %s deleted", n, keep);
        }
    }
}
