package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.cxr.catalog.rest.DashboardAccess;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.LabelledStudy;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.DeadLetter;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Topics;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.Chromium;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard login in a real browser (issue 12 item 2): without a login the dashboard sends the
 * browser to the login page and the API refuses the page's requests; a link with a forged token is
 * refused; the link {@code ./cxr up} prints logs in (the token leaves the address bar, the session
 * cookie is HttpOnly) and the dashboard loads its data, the pipeline page shows what the pipeline
 * API answers, a dead letter is redriven by a click; logging out ends it; a researcher finds a study
 * and its page shows the thumbnail and the mentions highlighted with their values. Screenshots:
 * {@code target/screenshots/dashboard-*.png}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class DashboardLoginBrowserTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    CatalogIndexer indexer;
    @Inject
    ObjectStore store;

    @Test
    void refusedWithoutLoginWorksWithIt() {
        try (Chromium browser = Chromium.start()) {
            var d = browser.driver;
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
            d.get(base + "dashboard/");
            wait.until(ExpectedConditions.urlMatches("/dashboard/login$"));
            wait.until(ExpectedConditions.textToBe(By.id("state"), "Not logged in."));
            Object status = d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch('/stats/states').then(r => done(r.status));");
            assertThat(status).isEqualTo(401L);
            browser.screenshot("dashboard-refused");

            d.get(base + "dashboard/login#token=" + TestTokens.forged("operator"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "not valid"));
            assertThat(d.manage().getCookieNamed(DashboardAccess.COOKIE)).isNull();

            d.get(base + "dashboard/login#token=" + TestTokens.tokenFor("dr-ops", "operator"));
            wait.until(ExpectedConditions.urlMatches("/dashboard/$"));
            wait.until(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("^updated")));
            assertThat(d.getCurrentUrl()).doesNotContain("token");
            Cookie session = d.manage().getCookieNamed(DashboardAccess.COOKIE);
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat((String) d.executeScript("return document.cookie")).doesNotContain(DashboardAccess.COOKIE);
            wait.until(ExpectedConditions.textToBe(By.id("who"), "dr-ops"));
            browser.screenshot("dashboard-logged-in");

            // the pipeline page shows what the pipeline API says (the session cookie authenticates both)
            d.get(base + "dashboard/pipeline.html");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groups tr[data-group='catalog-service']")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rates tr[data-series='received']")));
            Object api = d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " Promise.all([fetch('/pipeline/rates?window=1h').then(r => r.json()), fetch('/pipeline/lag').then(r => r.json())])"
                    + ".then(([r, l]) => done(JSON.stringify({received: r.stages.convert.received.reduce((a, b) => a + b, 0),"
                    + " groups: l.groups.map(g => g.group).join(',')})));");
            String shown = d.findElement(By.cssSelector("#rates tr[data-stage='convert'][data-series='received']"))
                    .getAttribute("data-total");
            String groups = String.join(",", d.findElements(By.cssSelector("#groups tr[data-group]")).stream()
                    .map(e -> e.getAttribute("data-group")).toList());
            assertThat((String) api).isEqualTo("{\"received\":" + shown + ",\"groups\":\"" + groups + "\"}");
            assertThat(groups).isEqualTo("convert-service,label-service,catalog-service");
            // the charts are uPlot's, from its webjar, drawn on canvases
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ratesChart .uplot canvas")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#lagChart .uplot canvas")));
            assertThat(d.executeScript("return typeof uPlot")).isEqualTo("function");
            assertThat(d.findElements(By.cssSelector("nav a")).stream().filter(WebElement::isDisplayed)
                    .map(WebElement::getText).toList()).containsExactly("Overview", "Pipeline", "Dead letters");
            browser.screenshot("dashboard-pipeline");

            // a dead letter redriven by a click, recorded with the logged-in principal
            InstanceReceived image = TestEvents.received(TestEvents.subject(990), TestEvents.study(990),
                    TestEvents.dicom("click"), Instant.now());
            DeadLetter dead = TestEvents.convertFailed(image, FailureReason.OBJECT_MISSING);
            indexer.index(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, image), TestEvents.raw(Topics.CONVERT_DLQ, dead)));
            d.get(base + "dashboard/dead-letters.html");
            By item = By.cssSelector("#items tr[data-event-id='" + dead.eventId() + "']");
            wait.until(ExpectedConditions.presenceOfElementLocated(item));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#countsChart .uplot canvas")));
            browser.screenshot("dashboard-dead-letters");
            d.findElement(item).findElement(By.tagName("button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(item, "by dr-ops"));
            assertThat(d.findElement(item).findElements(By.tagName("button"))).isEmpty();

            d.findElement(By.id("logout")).click();
            wait.until(ExpectedConditions.urlMatches("/dashboard/login$"));
            assertThat(d.manage().getCookieNamed(DashboardAccess.COOKIE)).isNull();

            // a researcher finds the study and sees its thumbnail and the report's mentions with their values
            LabelledStudy study = new LabelledStudy(991, indexer, store);
            d.get(base + "dashboard/login#token=" + TestTokens.tokenFor("dr-research", "researcher"));
            wait.until(ExpectedConditions.urlMatches("/dashboard/$"));
            d.get(base + "dashboard/studies.html?state=COMPLETE&label.chexpert.Edema=1");
            By found = By.cssSelector("#studies tr[data-study-id='" + study.study + "'] a");
            wait.until(ExpectedConditions.presenceOfElementLocated(found));
            browser.screenshot("dashboard-studies");
            d.findElement(found).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#report mark")));
            wait.until(x -> (Boolean) d.executeScript("const i = document.querySelector('#images img');"
                    + " return i !== null && i.complete && i.naturalWidth === 256;"));
            assertThat(d.findElements(By.cssSelector("#report mark")).stream()
                    .map(m -> m.getAttribute("data-observation") + "=" + m.getAttribute("data-value")).toList())
                    .containsExactly("Pleural Effusion=0", "Edema=1", "Pneumonia=-1");
            assertThat(d.findElement(By.cssSelector("#report mark.v1")).getText()).startsWith("edema");
            assertThat(d.findElement(By.id("history")).getText()).contains("report labelled").contains("now COMPLETE");
            assertThat((String) d.executeScript("return document.querySelector('#images img').src"))
                    .endsWith("/images/" + study.dicom + "/thumbnail");
            browser.screenshot("dashboard-study");
        }
    }
}
