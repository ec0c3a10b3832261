package org.cxr.catalog.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error body (RFC 9457 "problem details", {@code application/problem+json}).
 *
 * @param parameter the request parameter at fault, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String parameter) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail, String parameter) {
        return new Problem("about:blank", title(status), status, detail, parameter);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
