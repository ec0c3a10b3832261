package org.cxr.catalog.repository.entity;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A file of a release (JPGs excluded) with its size and checksum. */
@Entity
@Table(name = "dataset_release_file")
public class ReleaseFileEntity {
    @EmbeddedId
    public Key id;

    @Column(name = "bytes", nullable = false)
    public Long bytes;

    @Column(name = "sha256", nullable = false, length = 64)
    public String sha256;

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "release_id")
        public Integer releaseId;

        @Column(name = "name", length = 300)
        public String name;

        public Key() {
        }

        public Key(Integer releaseId, String name) {
            this.releaseId = releaseId;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(releaseId, k.releaseId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(releaseId, name);
        }
    }
}
