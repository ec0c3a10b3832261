package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./cxr status --catalog-url} as an operator runs it against a platform this machine did not
 * start (issue 16 item 8): no data directory, only URLs and a token in {@code CXR_TOKEN}.
 */
@Order(650)
@ExtendWith(SharedPlatform.class)
class RemoteStatusIT {
    @Test
    void statusOfARemotePlatformThroughItsCatalogAndAToken(SharedPlatform platform) throws Exception {
        Path elsewhere = Files.createTempDirectory("cxr-remote-");
        try {
            List<String> args = List.of("status", "--catalog-url", platform.url("catalog"),
                    "--service-url", "catalog=" + platform.managementUrl("catalog"),
                    "--service-url", "ingest=" + platform.managementUrl("ingest"));
            Cxr.Result ok = Cxr.run(platform.repo(), Duration.ofMinutes(1), args, Map.of("CXR_DATA_DIR",
                    elsewhere.toString(), "CXR_TOKEN", platform.token("operator", "researcher")));
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("platform: remote").containsPattern("catalog +\\S+ +UP")
                    .containsPattern("ingest +\\S+ +UP").containsPattern("lag: convert-service +\\d+ records")
                    .contains("lag: label-service").contains("COMPLETE");

            Cxr.Result noRole = Cxr.run(platform.repo(), Duration.ofMinutes(1), args, Map.of("CXR_DATA_DIR",
                    elsewhere.toString(), "CXR_TOKEN", platform.token("researcher")));
            assertThat(noRole.exitCode()).isNotZero();
            assertThat(noRole.output()).contains("HTTP 403 (the token lacks the operator role)");
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }
}
