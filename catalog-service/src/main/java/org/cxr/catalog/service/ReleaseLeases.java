package org.cxr.catalog.service;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.domain.release.ReleaseSink;
import org.cxr.catalog.repository.ReleaseLeaseRepository;
import org.cxr.catalog.storage.BucketReleaseSink;
import org.cxr.platform.storage.BucketNames;
import org.cxr.platform.storage.ObjectStore;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Releases with several catalog replicas. The replica writing a release holds a lease on it and
 * renews it every third of {@code cxr.catalog.release.lease}; every replica, at start-up and then
 * once per lease period, fails the RUNNING releases whose lease expired (their writer died, or lost
 * the database for longer than the lease; its own only when it no longer writes them) and removes
 * the objects of failed releases. A writer that finds its lease gone stops writing and removes
 * what it wrote.
 */
@ApplicationScoped
public class ReleaseLeases {
    private static final Logger LOG = Logger.getLogger(ReleaseLeases.class);

    @Inject
    ReleaseLeaseRepository repository;
    @Inject
    ObjectStore store;
    @Inject
    BucketNames buckets;
    @Inject
    CatalogConfig config;

    /** This replica, as recorded in the releases it writes. */
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    /** The releases this replica is writing now: never expired by its own sweep. */
    private final Set<Integer> writing = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats = daemon("catalog-release-heartbeat");
    private final ScheduledExecutorService sweeper = daemon("catalog-release-sweep");

    /** A lease held while writing a release. */
    public final class Lease implements AutoCloseable {
        private final int releaseId;
        private final AtomicBoolean lost = new AtomicBoolean();
        private volatile ScheduledFuture<?> heartbeat;

        private Lease(int releaseId) {
            this.releaseId = releaseId;
        }

        private void renew() {
            if (lost.get()) {
                return;
            }
            try {
                if (!QuarkusTransaction.requiringNew().call(() -> repository.renew(releaseId, owner, lease()))) {
                    lost.set(true);
                    LOG.warnf("the lease on release %d is lost (another replica failed it); stopping", releaseId);
                }
            } catch (RuntimeException e) {
                LOG.warnf("lease on release %d not renewed (%s); retrying", releaseId, e.getMessage());
            }
        }

        /** A sink that refuses new files once the lease is lost. */
        public ReleaseSink guard(ReleaseSink sink) {
            return new ReleaseSink() {
                @Override
                public OutputStream create(String relativePath) throws IOException {
                    if (lost.get()) {
                        throw new IOException("the lease on release " + releaseId + " was lost");
                    }
                    return sink.create(relativePath);
                }

                @Override
                public String location() {
                    return sink.location();
                }
            };
        }

        @Override
        public void close() {
            heartbeat.cancel(false);
            writing.remove(releaseId);
        }
    }

    void onStart(@Observes StartupEvent ev) {
        // before this replica takes requests: releases of dead replicas fail, live ones are left alone
        try {
            expire();
        } catch (RuntimeException e) {
            LOG.warnf("expired releases not checked at start-up (%s); will be", e.getMessage());
        }
        long period = lease().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        heartbeats.shutdownNow();
        sweeper.shutdownNow();
    }

    public String owner() {
        return owner;
    }

    public Duration lease() {
        return config.release().lease();
    }

    /** Takes the lease on a new release, in the caller's transaction. */
    public void take(int releaseId) {
        repository.take(releaseId, owner, lease());
    }

    /** Starts renewing the lease of a release this replica writes. */
    public Lease hold(int releaseId) {
        Lease l = new Lease(releaseId);
        writing.add(releaseId);
        long period = Math.max(1, lease().toMillis() / 3);
        l.heartbeat = heartbeats.scheduleAtFixedRate(l::renew, period, period, TimeUnit.MILLISECONDS);
        return l;
    }

    /** Fails the RUNNING releases whose lease expired, in the caller's transaction or a new one. */
    List<Integer> expire() {
        List<Integer> expired = QuarkusTransaction.joiningExisting().call(() -> repository.expire(List.copyOf(writing)));
        if (!expired.isEmpty()) {
            LOG.warnf("release(s) %s failed: their writer stopped renewing its lease", expired);
        }
        return expired;
    }

    /** Removes the objects of failed releases soon (outside any transaction). */
    void cleanUpSoon() {
        sweeper.execute(this::sweep);
    }

    /** Removes the objects a release wrote and records that they are gone. */
    void cleanUp(int releaseId) {
        int n = BucketReleaseSink.removeAll(store, buckets.releases(), ReleaseService.prefix(config, releaseId));
        QuarkusTransaction.requiringNew().run(() -> repository.cleaned(releaseId));
        if (n > 0) {
            LOG.infof("removed %d object(s) of failed release %d", n, releaseId);
        }
    }

    private void sweep() {
        try {
            QuarkusTransaction.requiringNew().run(this::expire);
            for (int id : QuarkusTransaction.requiringNew().call(repository::pendingCleanups)) {
                cleanUp(id);
            }
        } catch (RuntimeException e) {
            LOG.warnf("release sweep failed (%s); retrying in %s", e.getMessage(), lease());
        }
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
