package org.cxr.catalog.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Catalog-wide values (the epoch). */
@Entity
@Table(name = "catalog_meta")
public class CatalogMetaEntity {
    @Id
    @Column(name = "meta_key", length = 64)
    public String key;

    @Column(name = "meta_value", nullable = false, length = 200)
    public String value;
}
