package org.cxr.label.messaging;

import java.net.URL;

import io.restassured.RestAssured;

/** Reads the service's Prometheus metrics, as a scraper would. */
final class Metrics {
    private Metrics() {
    }

    static String scrape(URL metrics) {
        return RestAssured.given().get(metrics.toString()).then().statusCode(200).extract().asString();
    }

    /**
     * The value of one series (name with its tags in Prometheus's order), 0 when absent; an
     * OpenMetrics exemplar after it ({@code # {trace_id=...}}, a delivery's trace) is not part of it.
     */
    static double value(URL metrics, String series) {
        return scrape(metrics).lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ", 2)[0])).orElse(0.0);
    }
}
