package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A dataset release: what it selected (since, high-water mark), where it is, what it holds. */
@Entity
@Table(name = "dataset_release")
public class ReleaseEntity {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    @Id
    @Column(name = "release_id")
    public Integer releaseId;

    @Column(name = "status", nullable = false, length = 10)
    public String status;

    @Column(name = "since_release_id")
    public Integer sinceReleaseId;

    @Column(name = "since_seq")
    public Long sinceSeq;

    @Column(name = "with_images", nullable = false)
    public Boolean withImages;

    @Column(name = "high_water_mark")
    public Long highWaterMark;

    @Column(name = "location", nullable = false, length = 300)
    public String location;

    @Column(name = "images")
    public Integer images;

    @Column(name = "studies")
    public Integer studies;

    @Column(name = "subjects")
    public Integer subjects;

    @Column(name = "chexpert_rows")
    public Integer chexpertRows;

    @Column(name = "negbio_rows")
    public Integer negbioRows;

    @Column(name = "readme", columnDefinition = "text")
    public String readme;

    @Column(name = "error", columnDefinition = "text")
    public String error;

    @Column(name = "requested_by", length = 200)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The replica writing it (while RUNNING). */
    @Column(name = "owner", length = 200)
    public String owner;

    /** Until when its owner holds it (database time), renewed by the owner's heartbeat. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** FAILED and its objects not removed yet. */
    @Column(name = "cleanup_pending", nullable = false)
    public boolean cleanupPending;
}
