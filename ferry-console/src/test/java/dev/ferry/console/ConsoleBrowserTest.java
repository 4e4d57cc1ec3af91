package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.Arm;
import dev.ferry.serving.DeploymentSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser against a real server: each page shows the server's data, and
 * actions clicked with the admin token change the server while the same clicks without it are
 * refused with the server's error. Screenshots of each page go to docs/console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Tag("browser")
class ConsoleBrowserTest {

    ConsoleServer s;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        browser = Browser.start(dir.resolve("chromium-profile"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        s = new ConsoleServer(dir.resolve("server"), List.of(new Console(Duration.ofMillis(500), Duration.ofMinutes(15))));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (s != null) {
            s.close();
        }
    }

    @BeforeEach
    void forgetTheToken() {
        browser.get(s.base() + "/console/");
        browser.executeScript("sessionStorage.clear()");
    }

    private void open(String hash) {
        browser.get(s.base() + "/console/#/" + hash);
        browser.navigate().refresh();
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void enterToken(String token) {
        WebElement input = browser.findElement(By.id("token"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("token-save")).click();
        wait.until(ExpectedConditions.textToBe(By.id("token-state"), "token set for this tab"));
    }

    private String notice() {
        WebElement n = visible(By.id("notice"));
        return n.getText();
    }

    private Map<String, Double> weights(String deployment) {
        DeploymentSpec spec = s.server.engine().deployment(deployment).orElseThrow();
        return spec.arms().stream().collect(Collectors.toMap(Arm::name, Arm::weight));
    }

    @Test
    @Order(1)
    void theModelsPageListsEveryModelWithItsVersionsAndAliases() throws Exception {
        open("models");
        WebElement credit = visible(By.cssSelector("#models-table tr[data-model='credit']"));
        assertThat(credit.getText()).contains("credit", "2", "champion → v2", "previous → v1");
        assertThat(browser.findElement(By.cssSelector("#models-table tr[data-model='fraud']")).getText()).contains("fraud");
        Browser.screenshot(browser, "models");
    }

    @Test
    @Order(2)
    void aModelPageShowsLineageAndAliasHistory() throws Exception {
        open("models/credit");
        WebElement v1 = visible(By.cssSelector("section.version[data-version='1']"));
        assertThat(v1.getText()).contains(s.trainingFingerprint, "user_stats:x1", "learning_rate=0.1", "max_depth=4", "17",
                "auc=0.81", "3f2c9a1e", "run-17");
        assertThat(browser.findElement(By.cssSelector("section.version[data-version='2']")).getText()).contains("champion", "auc=0.84");
        assertThat(browser.findElement(By.id("alias-history")).getText()).contains("better auc", "alice");
        Browser.screenshot(browser, "model-lineage");
    }

    @Test
    @Order(3)
    void theDeploymentsPageShowsArmsWeightsAndTheShadow() throws Exception {
        open("deployments");
        WebElement credit = visible(By.cssSelector("section.deployment[data-deployment='credit']"));
        WebElement stable = credit.findElement(By.cssSelector("tr[data-arm='stable']"));
        assertThat(stable.getText()).contains("credit@champion (v2)", "90", "90.0%");
        assertThat(credit.findElement(By.cssSelector("tr[data-arm='canary']")).getText()).contains("credit@previous (v1)", "10", "10.0%");
        assertThat(credit.findElement(By.cssSelector(".shadow")).getText()).contains("credit@1", "25%");
        assertThat(browser.findElement(By.cssSelector("section.deployment[data-deployment='fraud']")).getText()).contains("static default");
        Browser.screenshot(browser, "deployments");
    }

    @Test
    @Order(4)
    void theTrafficPageDrawsLatencyPercentilesAfterPredictions() throws Exception {
        open("traffic");
        // traffic over several sample intervals, so the chart has a series
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int busySamples = 0;
        while (busySamples < 6 && System.nanoTime() < deadline) {
            s.predict("credit", 40);
            s.predict("fraud", 20);
            busySamples = 0;
            var d = s.get("/console/api/traffic?deployment=credit").json().get("deployments").get(0);
            for (var arm : d.get("arms")) {
                if (arm.get("name").asText().equals("stable")) {
                    for (var sample : arm.get("samples")) {
                        busySamples += sample.get("requests").asLong() > 0 ? 1 : 0;
                    }
                }
            }
        }
        assertThat(busySamples).isGreaterThanOrEqualTo(6);
        By p50 = By.cssSelector("section.arm[data-deployment='credit'][data-arm='stable'] .p50");
        wait.until(d -> d.findElement(p50).getText().matches("\\d+\\.\\d+"));
        assertThat(Double.parseDouble(browser.findElement(p50).getText())).isPositive();
        WebElement stable = browser.findElement(By.cssSelector("section.arm[data-deployment='credit'][data-arm='stable']"));
        assertThat(Integer.parseInt(stable.findElement(By.cssSelector(".requests")).getText())).isPositive();
        assertThat(stable.findElements(By.cssSelector("svg.chart path[data-series='p99']"))).hasSize(1);
        WebElement fraud = browser.findElement(By.cssSelector("section.arm[data-deployment='fraud'][data-arm='canary']"));
        assertThat(fraud.findElement(By.cssSelector(".failed")).getText()).isEqualTo("100.0%");
        assertThat(browser.findElement(By.cssSelector("[data-traffic='fraud'] .errors")).getText()).isNotEqualTo("0");
        Browser.screenshot(browser, "traffic");
    }

    @Test
    @Order(5)
    void aDeploymentRollbackIsRefusedWithoutTheTokenAndHappensWithIt() throws Exception {
        open("deployments");
        visible(By.id("rollback-credit")).click();
        assertThat(notice()).contains("401", "Bearer");
        assertThat(weights("credit")).isEqualTo(Map.of("stable", 90.0, "canary", 10.0));

        enterToken(ConsoleServer.TOKEN);
        new Select(visible(By.id("promote-arm-credit"))).selectByValue("canary");
        browser.findElement(By.id("promote-credit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Promoted"));
        assertThat(weights("credit")).isEqualTo(Map.of("canary", 1.0));

        visible(By.id("rollback-credit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Rolled back"));
        assertThat(weights("credit")).isEqualTo(Map.of("stable", 90.0, "canary", 10.0));
        assertThat(s.admin("GET", "/v1/admin/deployments/credit", null).json().get("arms")).hasSize(2);
        visible(By.cssSelector("section.deployment[data-deployment='credit'] tr[data-arm='stable']"));
    }

    @Test
    @Order(6)
    void anAliasRollbackIsRefusedWithoutTheTokenAndHappensWithIt() throws Exception {
        open("models/credit");
        visible(By.id("alias-champion-rollback")).click();
        assertThat(notice()).contains("401", "Bearer");
        assertThat(s.registry.aliases("credit").get("champion")).isEqualTo(2);

        enterToken("not-the-token");
        visible(By.id("alias-champion-rollback")).click();
        assertThat(notice()).contains("403", "not valid");
        assertThat(s.registry.aliases("credit").get("champion")).isEqualTo(2);

        enterToken(ConsoleServer.TOKEN);
        visible(By.id("alias-champion-rollback")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Rolled back: champion now points at v1"));
        assertThat(s.registry.aliases("credit").get("champion")).isEqualTo(1);
        // the deployment following the alias swapped to it
        assertThat(s.server.engine().resolvedVersions("credit").get("arm:stable")).isEqualTo(1);
        assertThat(visible(By.cssSelector("#aliases-table tr[data-alias='champion'] .alias-version")).getText()).isEqualTo("v1");

        new Select(visible(By.id("alias-champion-version"))).selectByValue("2");
        browser.findElement(By.id("alias-champion-reason")).sendKeys("canary looked fine");
        browser.findElement(By.id("alias-champion-move")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Moved: champion now points at v2"));
        assertThat(s.registry.aliases("credit").get("champion")).isEqualTo(2);
        assertThat(visible(By.id("alias-history")).getText()).contains("canary looked fine");
    }

    @Test
    @Order(7)
    void theAuditLogPageNeedsTheTokenAndShowsTheChangesMade() throws Exception {
        open("audit");
        assertThat(visible(By.cssSelector("main .error-box")).getText()).contains("401");
        enterToken(ConsoleServer.TOKEN);
        WebElement table = visible(By.id("audit-table"));
        List<WebElement> rows = table.findElements(By.cssSelector("tr.audit-entry"));
        // the clicks refused for their token never reached the admin API, so four changes were made
        assertThat(rows).hasSize(4);
        // the console names itself as the actor of the changes it makes
        assertThat(rows.get(0).getText()).contains("console", "set_alias", "credit@champion", "ok");
        assertThat(rows.get(1).getText()).contains("rollback_alias", "credit@champion", "ok");
        assertThat(rows.get(2).getText()).contains("rollback", "credit", "ok");
        assertThat(rows.get(3).getText()).contains("promote", "canary", "ok");
        Browser.screenshot(browser, "audit");
    }

    @Test
    @Order(8)
    void pagesStayUsableOnANarrowScreen() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        open("deployments");
        WebElement credit = visible(By.cssSelector("section.deployment[data-deployment='credit']"));
        Number width = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number viewport = (Number) browser.executeScript("return window.innerWidth");
        assertThat(width.intValue()).isLessThanOrEqualTo(viewport.intValue());
        assertThat(credit.getText()).contains("stable");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    }

    @Test
    @Order(9)
    void theRolloutsPageSaysWhenTheServerHasNoRollouts() {
        // this server mounts the console alone: /v1/rollouts does not exist
        open("rollouts");
        assertThat(visible(By.cssSelector("main .card")).getText()).contains("Staged rollouts are not enabled on this server");
        assertThat(s.get("/v1/rollouts").status()).isEqualTo(404);
    }
}
