package org.cxr.catalog.repository;

/**
 * A CDI event: this instance committed a change to the catalog (an indexed batch, a recompute),
 * so the outbox may hold rows to publish and the query index is stale.
 */
public record CatalogCommitted() {
}
