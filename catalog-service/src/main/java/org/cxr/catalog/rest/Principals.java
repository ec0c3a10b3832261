package org.cxr.catalog.rest;

import io.quarkus.security.identity.SecurityIdentity;

/** What audit fields record: the authenticated principal's name, never a name the caller typed. */
final class Principals {
    /** The audit columns hold 200 characters. */
    private static final int MAX = 200;

    private Principals() {
    }

    static String name(SecurityIdentity identity) {
        String n = identity.getPrincipal().getName();
        return n.length() <= MAX ? n : n.substring(0, MAX);
    }
}
