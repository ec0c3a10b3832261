package org.cxr.catalog.domain.state;

/**
 * An image's status, derived from its facts: a JPG exists (CONVERTED) beats a convert failure
 * (FAILED), which beats nothing yet (PENDING); so the order in which the facts arrive does not matter.
 */
public enum ImageStatus {
    PENDING, CONVERTED, FAILED
}
