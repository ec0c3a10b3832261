package org.cxr.catalog.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.domain.release.ReleaseImageIndex;
import org.cxr.catalog.domain.release.ReleaseResult;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.domain.release.ReleaseSink;
import org.cxr.catalog.domain.release.ReleaseWriter;
import org.cxr.catalog.repository.JdbcReleaseSource;
import org.cxr.catalog.repository.entity.ReleaseEntity;
import org.cxr.catalog.repository.entity.ReleaseFileEntity;
import org.cxr.catalog.storage.BucketReleaseSink;
import org.cxr.catalog.storage.ObjectStoreImages;
import org.cxr.platform.storage.BucketNames;
import org.cxr.platform.storage.ObjectStore;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Numbers, runs and records releases. A release is written by {@link ReleaseWriter} from
 * {@link JdbcReleaseSource} into the releases bucket ({@code releases/<id>/}), in the background;
 * one release runs at a time. The release row keeps the high-water mark (the change sequence its
 * snapshot saw), so that "since release N" means "studies changed after N's snapshot".
 */
@ApplicationScoped
public class ReleaseService {
    private static final Logger LOG = Logger.getLogger(ReleaseService.class);
    private static final long RELEASE_LOCK = 0x43585252L; // "CXRR"

    @Inject
    EntityManager em;
    @Inject
    JdbcReleaseSource source;
    @Inject
    ObjectStore store;
    @Inject
    BucketNames buckets;
    @Inject
    CatalogConfig config;
    @Inject
    MeterRegistry registry;

    /**
     * IMAGE_FILENAMES of DONE releases (immutable), a few at a time: 7.5 MB for a MIMIC-size
     * release. Keyed by id and finish time, not by id alone: a rebuilt catalog numbers its releases
     * from 1 again while this process may still hold the old ones.
     */
    private final Cache<String, ReleaseImageIndex> imageIndexes = Caffeine.newBuilder().maximumSize(4).build();

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "catalog-release");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent ev) {
        QuarkusTransaction.requiringNew().run(() -> {
            int n = em.createQuery("update ReleaseEntity r set r.status = :failed, r.error = :error, r.finishedAt = :now"
                    + " where r.status = :running")
                    .setParameter("failed", ReleaseEntity.FAILED)
                    .setParameter("error", "interrupted: the catalog service stopped while writing it")
                    .setParameter("now", Instant.now())
                    .setParameter("running", ReleaseEntity.RUNNING)
                    .executeUpdate();
            if (n > 0) {
                LOG.warnf("%d release(s) were interrupted by a restart and are marked FAILED", n);
            }
        });
    }

    void onStop(@Observes ShutdownEvent ev) {
        executor.shutdownNow();
    }

    /** Creates release N+1 (RUNNING) and writes it in the background. */
    public ReleaseEntity start(Integer sinceReleaseId, boolean withImages, String requestedBy) {
        ReleaseEntity r = QuarkusTransaction.requiringNew().call(() -> create(sinceReleaseId, withImages, requestedBy));
        executor.execute(() -> run(r.releaseId));
        return r;
    }

    private ReleaseEntity create(Integer sinceReleaseId, boolean withImages, String requestedBy) {
        em.unwrap(Session.class).doWork(c -> {
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + RELEASE_LOCK + ")");
            }
        });
        Long running = em.createQuery("select count(r) from ReleaseEntity r where r.status = :s", Long.class)
                .setParameter("s", ReleaseEntity.RUNNING).getSingleResult();
        if (running > 0) {
            throw CatalogException.conflict("a release is already being written; wait for it (GET /releases)");
        }
        Long sinceSeq = null;
        if (sinceReleaseId != null) {
            ReleaseEntity since = em.find(ReleaseEntity.class, sinceReleaseId);
            if (since == null) {
                throw CatalogException.badParameter("since", "release " + sinceReleaseId + " does not exist");
            }
            if (!ReleaseEntity.DONE.equals(since.status)) {
                throw CatalogException.badParameter("since", "release " + sinceReleaseId + " is " + since.status
                        + "; only a DONE release can be the base of an incremental release");
            }
            sinceSeq = since.highWaterMark;
        }
        Integer max = em.createQuery("select max(r.releaseId) from ReleaseEntity r", Integer.class).getSingleResult();
        ReleaseEntity r = new ReleaseEntity();
        r.releaseId = max == null ? 1 : max + 1;
        r.status = ReleaseEntity.RUNNING;
        r.sinceReleaseId = sinceReleaseId;
        r.sinceSeq = sinceSeq;
        r.withImages = withImages;
        r.location = "s3://" + buckets.releases() + "/" + prefix(r.releaseId);
        r.requestedBy = requestedBy;
        r.createdAt = Instant.now();
        em.persist(r);
        return r;
    }

    /** The key prefix of a release in the releases bucket. */
    public String prefix(int releaseId) {
        String p = config.release().prefix();
        return (p.endsWith("/") || p.isEmpty() ? p : p + "/") + releaseId + "/";
    }

    private void run(int releaseId) {
        ReleaseEntity r = QuarkusTransaction.requiringNew().call(() -> em.find(ReleaseEntity.class, releaseId));
        long t0 = System.nanoTime();
        try {
            ReleaseSink sink = new BucketReleaseSink(store, buckets.releases(), prefix(releaseId),
                    Path.of(config.release().workDir(), "staging-" + releaseId));
            ReleaseResult result = write(r.sinceSeq == null ? ReleaseSelection.full() : ReleaseSelection.since(r.sinceSeq),
                    sink, r.withImages, releaseId, r.sinceReleaseId);
            QuarkusTransaction.requiringNew().run(() -> {
                ReleaseEntity e = em.find(ReleaseEntity.class, releaseId);
                e.status = ReleaseEntity.DONE;
                e.highWaterMark = result.highWaterMark();
                e.images = (int) result.images();
                e.studies = (int) result.studies();
                e.subjects = (int) result.subjects();
                e.chexpertRows = (int) result.chexpertRows();
                e.negbioRows = (int) result.negbioRows();
                e.readme = result.readme();
                e.finishedAt = Instant.now();
                for (ReleaseResult.FileEntry f : result.files()) {
                    if (f.name().startsWith("files/")) {
                        continue; // JPGs are listed in SHA256SUMS.txt, not here
                    }
                    ReleaseFileEntity fe = new ReleaseFileEntity();
                    fe.id = new ReleaseFileEntity.Key(releaseId, f.name());
                    fe.bytes = f.bytes();
                    fe.sha256 = f.sha256();
                    em.persist(fe);
                }
            });
            registry.counter("cxr.catalog.releases", "outcome", "done").increment();
            registry.timer("cxr.catalog.release").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            LOG.infof("release %d written to %s in %d ms: %d images, %d studies, %d subjects", releaseId,
                    sink.location(), (System.nanoTime() - t0) / 1_000_000, result.images(), result.studies(),
                    result.subjects());
        } catch (Exception e) {
            LOG.errorf(e, "release %d failed", releaseId);
            registry.counter("cxr.catalog.releases", "outcome", "failed").increment();
            QuarkusTransaction.requiringNew().run(() -> {
                ReleaseEntity x = em.find(ReleaseEntity.class, releaseId);
                x.status = ReleaseEntity.FAILED;
                x.error = String.valueOf(e.getMessage());
                x.finishedAt = Instant.now();
            });
        }
    }

    /** The release code itself, into any sink (used by the service and by tests/benchmarks). */
    public ReleaseResult write(ReleaseSelection selection, ReleaseSink sink, boolean withImages, int releaseId,
            Integer sinceReleaseId) throws IOException {
        ReleaseWriter writer = new ReleaseWriter(source, new ObjectStoreImages(store),
                Path.of(config.release().workDir()));
        return writer.write(selection, sink, withImages,
                new ReleaseWriter.ReleaseInfo(releaseId, sinceReleaseId, config.release().datasetName()));
    }

    /**
     * True when DONE release {@code releaseId} lists the image in its IMAGE_FILENAMES. Read once
     * from the releases bucket and kept (a DONE release never changes).
     */
    public boolean listsImage(ReleaseEntity release, String dicomId) {
        int releaseId = release.releaseId;
        ReleaseImageIndex index = imageIndexes.get(releaseId + "@" + release.createdAt + "/" + release.finishedAt, k -> {
            try (var reader = new BufferedReader(new InputStreamReader(
                    store.open(buckets.releases(), prefix(releaseId) + ReleaseFiles.IMAGE_FILENAMES),
                    StandardCharsets.US_ASCII), 1 << 16)) {
                return ReleaseImageIndex.read(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read IMAGE_FILENAMES of release " + releaseId, e);
            }
        });
        return index.contains(dicomId);
    }

    public ReleaseEntity find(int releaseId) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(ReleaseEntity.class, releaseId));
    }

    public List<ReleaseFileEntity> files(int releaseId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "from ReleaseFileEntity f where f.id.releaseId = :id order by f.id.name", ReleaseFileEntity.class)
                .setParameter("id", releaseId).getResultList());
    }

    public List<ReleaseEntity> list() {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "from ReleaseEntity r order by r.releaseId desc", ReleaseEntity.class).getResultList());
    }
}
