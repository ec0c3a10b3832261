package org.cxr.dimse;

/**
 * What a storage SCP does with a received instance. Called on the association's thread once the
 * whole data set has arrived and matches its command; the file is deleted when this returns. An
 * exception is answered with 0x0110 (processing failure).
 */
@FunctionalInterface
public interface StoreHandler {
    DimseStatus store(StoreRequest request) throws Exception;
}
