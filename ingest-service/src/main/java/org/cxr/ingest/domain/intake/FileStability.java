package org.cxr.ingest.domain.intake;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides when a file in the drop folder is complete: its size and modification time have not
 * changed for {@code stableFor} across scans. A writer that renames a finished file into the folder
 * (the atomic way) is picked up after one quiet period; a slow writer is waited for. Files that
 * disappear are forgotten.
 */
public final class FileStability {
    /** One file as seen by a scan. */
    public record Seen(Path path, long size, Instant modified) {
    }

    private record State(long size, Instant modified, Instant since) {
    }

    private final Duration stableFor;
    private final Map<Path, State> states = new HashMap<>();

    public FileStability(Duration stableFor) {
        this.stableFor = stableFor;
    }

    /** Feeds one scan; returns the files that are complete now, in scan order. */
    public List<Path> complete(List<Seen> scan, Instant now) {
        Map<Path, State> next = new HashMap<>();
        List<Path> done = new ArrayList<>();
        for (Seen s : scan) {
            State prev = states.get(s.path());
            State cur = prev != null && prev.size() == s.size() && prev.modified().equals(s.modified())
                    ? prev : new State(s.size(), s.modified(), now);
            next.put(s.path(), cur);
            if (!Duration.between(cur.since(), now).minus(stableFor).isNegative()) {
                done.add(s.path());
            }
        }
        states.clear();
        states.putAll(next);
        return done;
    }

    /** Forget a file (after it was moved away, or must be re-checked from scratch). */
    public void forget(Path path) {
        states.remove(path);
    }
}
