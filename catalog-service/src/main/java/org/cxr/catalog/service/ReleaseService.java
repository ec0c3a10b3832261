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
import org.cxr.catalog.repository.ReleaseLeaseRepository;
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

/**
 * Numbers, runs and records releases. A release is written by {@link ReleaseWriter} from
 * {@link JdbcReleaseSource} into the releases bucket ({@code releases/<id>/}), in the background;
 * one release runs at a time, across replicas. The replica writing it holds a lease on it
 * ({@link ReleaseLeases}); if it fails, or another replica failed it because the lease expired, its
 * objects are removed. The release row keeps the high-water mark (the change sequence its
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
    @Inject
    ReleaseLeases leases;
    @Inject
    ReleaseLeaseRepository leaseRepository;

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

    void onStop(@Observes ShutdownEvent ev) {
        executor.shutdownNow();
    }

    /** Creates release N+1 (RUNNING, leased to this replica) and writes it in the background. */
    public ReleaseEntity start(Integer sinceReleaseId, boolean withImages, String requestedBy) {
        ReleaseEntity r = QuarkusTransaction.requiringNew().call(() -> create(sinceReleaseId, withImages, requestedBy));
        leases.cleanUpSoon();
        executor.execute(() -> run(r.releaseId));
        return r;
    }

    private ReleaseEntity create(Integer sinceReleaseId, boolean withImages, String requestedBy) {
        em.unwrap(Session.class).doWork(c -> {
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + RELEASE_LOCK + ")");
            }
        });
        leases.expire(); // a release whose writer died does not block the next one
        Long running = em.createQuery("select count(r) from ReleaseEntity r where r.status = :s", Long.class)
                .setParameter("s", ReleaseEntity.RUNNING).getSingleResult();
        if (running > 0) {
            throw CatalogException.conflict("a release is already being written; wait for it (GET /releases)");
        }
        Long sinceSeq = null;
        if (sinceReleaseId != null) {
            ReleaseEntity since = em.find(ReleaseEntity.class, sinceReleaseId);
            if (since == null) {
                throw CatalogException.badParameter("since", "since names no release");
            }
            if (!ReleaseEntity.DONE.equals(since.status)) {
                throw CatalogException.badParameter("since", "since names a release that is " + since.status
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
        r.owner = leases.owner();
        em.persist(r);
        em.flush();
        leases.take(r.releaseId);
        return r;
    }

    /** The key prefix of a release in the releases bucket. */
    public String prefix(int releaseId) {
        return prefix(config, releaseId);
    }

    static String prefix(CatalogConfig config, int releaseId) {
        String p = config.release().prefix();
        return (p.endsWith("/") || p.isEmpty() ? p : p + "/") + releaseId + "/";
    }

    private void run(int releaseId) {
        ReleaseEntity r = QuarkusTransaction.requiringNew().call(() -> em.find(ReleaseEntity.class, releaseId));
        long t0 = System.nanoTime();
        try (ReleaseLeases.Lease lease = leases.hold(releaseId)) {
            ReleaseSink sink = lease.guard(new BucketReleaseSink(store, buckets.releases(), prefix(releaseId),
                    Path.of(config.release().workDir(), "staging-" + releaseId)));
            ReleaseResult result = write(r.sinceSeq == null ? ReleaseSelection.full() : ReleaseSelection.since(r.sinceSeq),
                    sink, r.withImages, releaseId, r.sinceReleaseId);
            if (!QuarkusTransaction.requiringNew().call(() -> done(releaseId, result))) {
                LOG.warnf("release %d was failed by another replica (this one's lease expired while writing it);"
                        + " its objects are removed", releaseId);
                leases.cleanUp(releaseId);
                return;
            }
            registry.counter("cxr.catalog.releases", "outcome", "done").increment();
            registry.timer("cxr.catalog.release").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            LOG.infof("release %d written to %s in %d ms: %d images, %d studies, %d subjects", releaseId,
                    sink.location(), (System.nanoTime() - t0) / 1_000_000, result.images(), result.studies(),
                    result.subjects());
        } catch (Exception | Error e) { // whatever stopped it, the release must not stay RUNNING under a live owner
            LOG.errorf(e, "release %d failed; its objects are removed", releaseId);
            registry.counter("cxr.catalog.releases", "outcome", "failed").increment();
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    ReleaseEntity x = leaseRepository.lockOwned(releaseId, leases.owner());
                    if (x != null) {
                        x.status = ReleaseEntity.FAILED;
                        x.error = String.valueOf(e.getMessage());
                        x.finishedAt = Instant.now();
                        x.cleanupPending = true;
                    }
                });
                leases.cleanUp(releaseId);
            } catch (RuntimeException cleanup) {
                LOG.warnf("release %d: partial objects not removed yet (%s); the sweep will", releaseId,
                        cleanup.getMessage());
            }
        }
    }

    /** Records a written release as DONE, if it is still this replica's; false when another failed it. */
    private boolean done(int releaseId, ReleaseResult result) {
        ReleaseEntity e = leaseRepository.lockOwned(releaseId, leases.owner());
        if (e == null) {
            return false;
        }
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
        return true;
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
