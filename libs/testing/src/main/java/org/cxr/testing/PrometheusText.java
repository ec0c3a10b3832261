package org.cxr.testing;

/**
 * Reads a service's metrics scrape (Prometheus or OpenMetrics text), as the services' metric tests
 * need: one value per series. With tracing on, the registry appends an OpenMetrics exemplar to a
 * sample ({@code 3.0 # {trace_id="...",span_id="..."} 1.0}); it is not part of the value.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The value of one series in {@code scrape} (its name with its tags as the registry writes them,
     * e.g. {@code cxr_x_total{outcome="ok"}}), 0 when absent.
     */
    public static double value(String scrape, String series) {
        String prefix = series + " ";
        return scrape.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(prefix.length()).strip().split("\\s", 2)[0]))
                .orElse(0.0);
    }
}
