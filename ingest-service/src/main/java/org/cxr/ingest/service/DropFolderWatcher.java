package org.cxr.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
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
 * complete ({@link FileStability}), then moved to {@code processed/} (accepted, duplicate,
 * unchanged) or {@code quarantine/} with {@code <file>.reason.txt} (rejected, conflict). Reports are
 * {@code <StudyInstanceUID>.txt}; one whose study has no instance yet waits for it up to
 * {@code drop-folder-report-wait}. Outages leave the file in place: the next scans retry it.
 * Names starting with '.' or ending in .part/.tmp/.partial are in-progress writes and ignored.
 */
@ApplicationScoped
public class DropFolderWatcher {
    private static final Logger LOG = Logger.getLogger(DropFolderWatcher.class);
    static final String PROCESSED = "processed";
    static final String QUARANTINE = "quarantine";

    @Inject
    IngestConfig config;
    @Inject
    IntakeService intake;

    private FileStability stability;
    private final Map<Path, Instant> waitingSince = new HashMap<>();
    private final Map<Path, Instant> nextTry = new HashMap<>();

    @Scheduled(every = "${cxr.ingest.drop-folder-scan-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        if (config.dropFolder().isEmpty()) {
            return; // no drop folder configured
        }
        Path root = config.dropFolder().get().toAbsolutePath();
        if (stability == null) {
            stability = new FileStability(config.dropFolderStableFor());
            LOG.infof("watching drop folder %s", root);
        }
        try {
            Files.createDirectories(root.resolve(PROCESSED));
            Files.createDirectories(root.resolve(QUARANTINE));
            Instant now = Instant.now();
            for (Path file : stability.complete(list(root), now)) {
                Instant retryAt = nextTry.get(file);
                if (retryAt == null || !now.isBefore(retryAt)) {
                    take(root, file, now);
                }
            }
        } catch (IOException e) {
            LOG.warnf("drop folder scan failed: %s", e.getMessage());
        }
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

    private void take(Path root, Path file, Instant now) throws IOException {
        Path rel = root.relativize(file);
        try {
            if (Files.isSymbolicLink(file) && !file.toRealPath().startsWith(root.toRealPath())) {
                done(root, rel, QUARANTINE, RejectReason.PATH_OUTSIDE_ROOT + ": symbolic link to a path outside the drop folder");
                return;
            }
            boolean report = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt");
            long limit = report ? config.maxReportBytes() : config.maxObjectBytes();
            if (Files.size(file) > limit) {
                done(root, rel, QUARANTINE, RejectReason.TOO_LARGE + ": over the limit of " + limit + " bytes");
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (report) {
                ReportResult r = intake.receiveReport(ImportService.stem(file), bytes, null, null, null, Source.DROP_FOLDER);
                if (r.reason() == RejectReason.UNKNOWN_STUDY) {
                    Instant since = waitingSince.computeIfAbsent(file, f -> now);
                    if (Duration.between(since, now).compareTo(config.dropFolderReportWait()) < 0) {
                        nextTry.put(file, now.plus(reportRetry())); // the study's instances may still come
                        return;
                    }
                }
                done(root, rel, r.status() == Outcome.REJECTED ? QUARANTINE : PROCESSED,
                        r.reason() == null ? r.status().name() : r.reason() + ": " + r.message());
            } else {
                InstanceResult r = intake.receiveInstance(bytes, Source.DROP_FOLDER, null);
                boolean bad = r.status() == Outcome.REJECTED || r.status() == Outcome.CONFLICT;
                done(root, rel, bad ? QUARANTINE : PROCESSED,
                        (r.reason() == null ? r.status().name() : r.reason().name()) + (r.message() == null ? "" : ": " + r.message()));
            }
        } catch (Unavailable | DatabaseUnavailable e) {
            LOG.warnf("drop folder: %s; the file stays and is retried", e.getMessage());
        }
    }

    /** How often a waiting report is tried again: a tenth of its wait, at most 30 s. */
    private Duration reportRetry() {
        Duration d = config.dropFolderReportWait().dividedBy(10);
        return d.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : d;
    }

    private void done(Path root, Path rel, String folder, String reason) throws IOException {
        Path from = root.resolve(rel);
        Path to = free(root.resolve(folder).resolve(rel));
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        if (QUARANTINE.equals(folder)) {
            Files.writeString(to.resolveSibling(to.getFileName() + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
        }
        stability.forget(from);
        waitingSince.remove(from);
        nextTry.remove(from);
    }

    /** The target name, or name.1, name.2 ... when a file of that name was dropped before. */
    private static Path free(Path target) {
        Path p = target;
        for (int i = 1; Files.exists(p); i++) {
            p = target.resolveSibling(target.getFileName() + "." + i);
        }
        return p;
    }
}
