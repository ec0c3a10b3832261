package org.cxr.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    static final String SCRAPE = """
            # TYPE cxr_convert_instances counter
            cxr_convert_instances_total{outcome="converted",reason="none"} 3.0 # {span_id="b7ad6b7169203331",trace_id="0af7651916cd43dd8448eb211c80319c"} 1.0 1765100000.123
            cxr_convert_instances_total{outcome="skipped",reason="none"} 2.0
            cxr_catalog_lag 17
            """;

    @Test
    void aValueWithOrWithoutItsExemplar() {
        assertThat(PrometheusText.value(SCRAPE, "cxr_convert_instances_total{outcome=\"converted\",reason=\"none\"}"))
                .isEqualTo(3.0);
        assertThat(PrometheusText.value(SCRAPE, "cxr_convert_instances_total{outcome=\"skipped\",reason=\"none\"}"))
                .isEqualTo(2.0);
        assertThat(PrometheusText.value(SCRAPE, "cxr_catalog_lag")).isEqualTo(17.0);
        assertThat(PrometheusText.value(SCRAPE, "cxr_absent_total")).isZero();
    }
}
