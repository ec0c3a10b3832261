package org.cxr.catalog.service;

/** A request the catalog refuses, with the HTTP status it maps to. */
public class CatalogException extends RuntimeException {
    private final int status;
    private final String parameter;

    public CatalogException(int status, String message, String parameter) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    public int status() {
        return status;
    }

    /** The request parameter at fault, or null. */
    public String parameter() {
        return parameter;
    }

    public static CatalogException badParameter(String parameter, String message) {
        return new CatalogException(400, message, parameter);
    }

    public static CatalogException notFound(String message) {
        return new CatalogException(404, message, null);
    }

    public static CatalogException conflict(String message) {
        return new CatalogException(409, message, null);
    }
}
