package org.cxr.label.messaging;

import java.net.URL;

import org.cxr.testing.PrometheusText;

import io.restassured.RestAssured;

/** Reads the service's Prometheus metrics, as a scraper would. */
final class Metrics {
    private Metrics() {
    }

    static String scrape(URL metrics) {
        return RestAssured.given().get(metrics.toString()).then().statusCode(200).extract().asString();
    }

    /** The value of one series (name with its tags in Prometheus's order), 0 when absent. */
    static double value(URL metrics, String series) {
        return PrometheusText.value(scrape(metrics), series);
    }
}
