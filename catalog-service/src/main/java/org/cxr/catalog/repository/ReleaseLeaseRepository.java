package org.cxr.catalog.repository;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.cxr.catalog.repository.entity.ReleaseEntity;

/**
 * The leases on running releases, in the caller's transaction. Times are the database's
 * ({@code now()}), so replicas whose clocks differ agree on when a lease expired.
 */
@ApplicationScoped
public class ReleaseLeaseRepository {
    @Inject
    EntityManager em;

    /** Gives a new release to its owner until the database's now + lease. */
    public void take(int releaseId, String owner, Duration lease) {
        em.createNativeQuery("UPDATE dataset_release SET owner = ?1, lease_until = now() + make_interval(secs => ?2)"
                + " WHERE release_id = ?3")
                .setParameter(1, owner).setParameter(2, seconds(lease)).setParameter(3, releaseId).executeUpdate();
    }

    /** Extends the lease; false when the release is no longer this owner's RUNNING release. */
    public boolean renew(int releaseId, String owner, Duration lease) {
        return em.createNativeQuery("UPDATE dataset_release SET lease_until = now() + make_interval(secs => ?1)"
                + " WHERE release_id = ?2 AND owner = ?3 AND status = 'RUNNING'")
                .setParameter(1, seconds(lease)).setParameter(2, releaseId).setParameter(3, owner)
                .executeUpdate() == 1;
    }

    /**
     * Fails every RUNNING release whose lease expired (its writer died, or lost the database for
     * longer than the lease), except those the caller is writing right now (it is alive and renews
     * them), and marks its objects for removal; the ids of those releases.
     */
    @SuppressWarnings("unchecked")
    public List<Integer> expire(Collection<Integer> writing) {
        String except = writing.isEmpty() ? ""
                : " AND release_id NOT IN (" + writing.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
        return em.createNativeQuery("UPDATE dataset_release SET status = 'FAILED', finished_at = now(),"
                + " cleanup_pending = true, error = 'interrupted: its writer (' || coalesce(owner, 'unknown')"
                + " || ') stopped renewing its lease'"
                + " WHERE status = 'RUNNING' AND (lease_until IS NULL OR lease_until < now())" + except
                + " RETURNING release_id").getResultList();
    }

    /** FAILED releases whose objects are still to be removed. */
    public List<Integer> pendingCleanups() {
        return em.createQuery("select r.releaseId from ReleaseEntity r where r.cleanupPending = true order by r.releaseId",
                Integer.class).getResultList();
    }

    public void cleaned(int releaseId) {
        em.createQuery("update ReleaseEntity r set r.cleanupPending = false where r.releaseId = :id")
                .setParameter("id", releaseId).executeUpdate();
    }

    /**
     * The release, locked until the transaction ends, if it is still this owner's RUNNING release
     * (then no other replica can expire it meanwhile); else null.
     */
    public ReleaseEntity lockOwned(int releaseId, String owner) {
        ReleaseEntity r = em.find(ReleaseEntity.class, releaseId, LockModeType.PESSIMISTIC_WRITE);
        return r != null && ReleaseEntity.RUNNING.equals(r.status) && owner.equals(r.owner) ? r : null;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
