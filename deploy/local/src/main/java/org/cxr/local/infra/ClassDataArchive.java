package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A dynamic class-data-sharing archive of one platform JVM (JDK 13+): the classes a run loaded,
 * parsed and verified, mapped by the next start instead of being loaded again. The first start after
 * a build writes it when its JVM exits normally ({@code -XX:ArchiveClassesAtExit}, under a temporary
 * name, renamed once the process is gone, so no JVM maps a half-written one); later starts map it
 * ({@code -XX:SharedArchiveFile}). It is written again when a file of the application (a jar) is
 * newer than it. A JVM that cannot use it (another JDK, a changed class path) ignores it and loads
 * its classes as usual; {@code -Xlog:cds*=off} keeps its warnings out of the service's log.
 * The convert CLI does the same for itself ({@code convert-service/bin/cxr-convert}).
 */
public final class ClassDataArchive {
    private static final List<String> QUIET = List.of("-Xlog:cds*=off");

    private final Path archive;
    private final List<Path> application;

    /**
     * @param archive     where the archive lives (next to the build output it depends on)
     * @param application the files and directories whose change makes the archive stale
     */
    public ClassDataArchive(Path archive, List<Path> application) {
        this.archive = archive;
        this.application = List.copyOf(application);
    }

    /**
     * The options of one start, the file that start writes (null when it maps the archive) and when
     * it was made.
     */
    public record Start(List<String> options, Path writes, FileTime at) {
    }

    /** Maps the archive when it is fresh, else writes a new one at exit. */
    public Start start() {
        if (fresh()) {
            return new Start(concat(QUIET, "-XX:SharedArchiveFile=" + archive), null, now());
        }
        Path tmp = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
        return new Start(concat(QUIET, "-XX:ArchiveClassesAtExit=" + tmp), tmp, now());
    }

    /**
     * After the process that wrote {@code start.writes()} exited with {@code exitValue}: the archive,
     * if it wrote one and stopped normally (0, or 143 for SIGTERM). Not after a kill (a SIGKILL during
     * the dump leaves half a file) nor after a failure (a JVM that failed to start, or ran out of
     * memory, archived only the few classes it loaded, and that archive would look fresh until the
     * next build).
     */
    public void exited(Start start, int exitValue) {
        Path tmp = start.writes();
        if (tmp == null) {
            return;
        }
        boolean normal = exitValue == 0 || exitValue == 128 + 15; // SIGTERM is a normal stop
        try {
            // a build that replaced jars while that JVM ran: the archive records the old ones and
            // the JVM would ignore it, while being newer than the jars it would look fresh here
            if (normal && Files.isRegularFile(tmp) && Files.size(tmp) > 0 && !changedSince(start.at())) {
                Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // a later start writes it again
        }
    }

    /** The archive exists and is newer than every file of the application. */
    boolean fresh() {
        try {
            return Files.isRegularFile(archive) && !changedSince(Files.getLastModifiedTime(archive));
        } catch (IOException e) {
            return false;
        }
    }

    /** A file of the application was modified at or after {@code time} (or cannot be read). */
    private boolean changedSince(FileTime time) {
        try {
            for (Path p : application) {
                if (!Files.exists(p)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(p)) {
                    if (files.filter(Files::isRegularFile).anyMatch(f -> newer(f, time))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            return true;
        }
    }

    private static FileTime now() {
        return FileTime.from(java.time.Instant.now());
    }

    private boolean newer(Path f, FileTime than) {
        if (f.equals(archive) || f.getFileName().toString().endsWith(".tmp")) {
            return false;
        }
        try {
            return Files.getLastModifiedTime(f).compareTo(than) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> a, String b) {
        return Stream.concat(a.stream(), Stream.of(b)).toList();
    }
}
