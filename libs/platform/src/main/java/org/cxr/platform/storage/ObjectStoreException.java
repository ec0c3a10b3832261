package org.cxr.platform.storage;

/** An object store call failed; {@link #notFound()} tells a missing object from an unreachable store. */
public class ObjectStoreException extends RuntimeException {
    private final boolean notFound;

    public ObjectStoreException(String message, Throwable cause, boolean notFound) {
        super(message, cause);
        this.notFound = notFound;
    }

    public boolean notFound() {
        return notFound;
    }
}
