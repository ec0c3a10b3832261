package org.cxr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.io.FileHandler;

/**
 * Debian's headless chromium driven through its chromedriver (no browser download: Selenium
 * Manager is not used), with the flags docs/testing needs on these machines (root, no GPU, no
 * background traffic, a fresh profile). Screenshots go under {@code target/screenshots/}. The
 * catalog's dashboard test and the e2e browser test share it; Selenium comes from the caller's test
 * dependencies.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    public final ChromeDriver driver;

    private Chromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Skips the test (with the reason) where chromium or chromedriver is not installed. */
    public static Chromium start() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "SKIPPED: Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        try {
            Path profile = Files.createTempDirectory("cxr-chromium-");
            ChromeOptions o = new ChromeOptions();
            o.setBinary(BINARY.toFile());
            o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--window-size=1400,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver d = new ChromeDriver(service, o);
            d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
            return new Chromium(profile, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a screenshot as {@code target/screenshots/<name>.png}; returns its path. */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path f = dir.resolve(name + ".png");
            Files.write(f, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            FileHandler.delete(profile.toFile());
        }
    }
}
