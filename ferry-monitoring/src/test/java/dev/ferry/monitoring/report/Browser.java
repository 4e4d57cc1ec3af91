package dev.ferry.monitoring.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven by ChromeDriver, both from the system (no driver download). Without
 * them the report's browser tests fail and say what to install; they run only in the Maven
 * profile {@code browser} (on by itself where ChromeDriver is installed).
 */
final class Browser {

    static final String CHROMIUM = setting("FERRY_TEST_CHROMIUM", "/usr/bin/chromium");
    static final String CHROMEDRIVER = setting("FERRY_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

    private Browser() {
    }

    private static String setting(String name, String fallback) {
        String v = System.getProperty(name, System.getenv(name));
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Starts a headless browser, or fails saying what to install. */
    static ChromeDriver start(Path profile) throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new AssertionError("the monitoring report's browser tests need Chromium at " + CHROMIUM + " and ChromeDriver at "
                    + CHROMEDRIVER + " (Debian/Ubuntu: apt-get install chromium chromium-driver; other paths: set"
                    + " FERRY_TEST_CHROMIUM and FERRY_TEST_CHROMEDRIVER); they run in the Maven profile browser, on by itself where /usr/bin/chromedriver exists");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath(), "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves a PNG of the top of the page as {@code name}.png in the screenshot folder (docs/monitoring when run by Maven). */
    static void screenshot(ChromeDriver driver, String name, int height) throws IOException {
        String folder = System.getProperty("ferry.report.screenshots");
        if (folder == null) {
            return;
        }
        driver.manage().window().setSize(new Dimension(1280, height));
        File png = driver.getScreenshotAs(OutputType.FILE);
        Path target = Files.createDirectories(Path.of(folder)).resolve(name + ".png");
        Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    /** Saves a PNG of one element (a section of the page) as {@code name}.png in the screenshot folder. */
    static void screenshot(ChromeDriver driver, By element, String name) throws IOException {
        String folder = System.getProperty("ferry.report.screenshots");
        if (folder == null) {
            return;
        }
        File png = driver.findElement(element).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), Files.createDirectories(Path.of(folder)).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
