package org.cxr.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code ./cxr up --otlp URL} reaches the detached {@code run} that starts the services. */
class TracingOptionTest {
    @Test
    void upPassesTheCollectorOnToRun() {
        PlatformMain.Up up = new PlatformMain.Up();
        new CommandLine(up).parseArgs("--otlp", "http://collector:4317");
        assertThat(up.common.asArgs()).containsSequence("--otlp", "http://collector:4317");

        PlatformMain.Run run = new PlatformMain.Run();
        new CommandLine(run).parseArgs(up.common.asArgs().toArray(String[]::new));
        assertThat(run.common.otlp).isEqualTo("http://collector:4317");

        PlatformMain.Up off = new PlatformMain.Up();
        new CommandLine(off).parseArgs();
        assertThat(off.common.asArgs()).doesNotContain("--otlp");
    }
}
