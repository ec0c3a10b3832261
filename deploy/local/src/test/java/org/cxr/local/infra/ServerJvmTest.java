package org.cxr.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The launcher's JVM options per process, and the environment's extra options after them. */
class ServerJvmTest {
    @Test
    void hashingProcessesKeepC2TheOthersRunC1AndTheEnvironmentWins() {
        assertThat(ServerJvm.platformOptions("s3", Map.of())).containsExactly("-XX:+UseSerialGC");
        assertThat(ServerJvm.platformOptions("ingest", Map.of())).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(ServerJvm.platformOptions("convert", Map.of())).doesNotContain("-XX:TieredStopAtLevel=1");
        for (String c1 : new String[] {"kafka", "catalog", "label"}) {
            assertThat(ServerJvm.platformOptions(c1, Map.of())).containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        }
        assertThat(ServerJvm.platformOptions("catalog", Map.of("CXR_JVM_OPTS_CATALOG", " -XX:TieredStopAtLevel=4  -Xlog:gc ",
                "CXR_JVM_OPTS_LABEL", "-Xint")))
                .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4", "-Xlog:gc");
    }

    @Test
    void ingestStartsWithItsWholeHeapConvertWithAThirdOfItsHeapAsYoungGeneration() {
        assertThat(ServerJvm.heapOptions("ingest", "512m")).containsExactly("-Xms512m");
        assertThat(ServerJvm.heapOptions("convert", "1536m")).containsExactly("-Xms768m", "-Xmn512m");
        assertThat(ServerJvm.heapOptions("convert", "3g")).containsExactly("-Xms1536m", "-Xmn1024m");
        assertThat(ServerJvm.heapOptions("catalog", "512m")).isEmpty();
    }
}
