package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A clinician signs in to the portal through Keycloak in headless Chromium and approves a proposal. */
class PortalIT {

    static Clinic clinic;
    static ClinLoopClient api;
    ChromeDriver browser;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    /** A fresh browser per test: no session leaks from one user to the next. */
    @BeforeEach
    void start() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("clinloop-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aClinicianSignsInSeesTheProposalWithItsReasonsAndApprovesIt() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 153, 96), 201);
        String taskId = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        browser.get(api.baseUrl() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(Clinic.RIVERA);
        browser.findElement(By.id("password")).sendKeys(Credentials.fromEnvironment().password(Clinic.RIVERA));
        browser.findElement(By.id("kc-login")).click();

        By card = By.cssSelector("article[data-task='" + taskId + "']");
        WebElement task = wait.until(ExpectedConditions.visibilityOfElementLocated(card));
        assertThat(browser.findElement(By.id("who")).getText()).contains("Ana Rivera").contains("clinician");
        // Far above target (153/96) at step 1 of 0-4: the model proposes two steps, to 20 mg, and says so.
        assertThat(task.getText()).contains(patient).contains("INCREASE").contains("lisinopril 20 mg daily")
                .contains("increase two steps").contains("Autonomy not enabled");
        screenshot("portal-queue.png");

        task.findElement(By.cssSelector("button.approve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("article[data-task='" + taskId + "'] .result"), "APPROVED"));
        screenshot("portal-approved.png");

        var decided = expect(api.get("/api/tasks/" + taskId, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(decided.get("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.get("decidedBy").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("doseStep").asInt()).isEqualTo(3);
    }

    @Test
    void aClinicianSeesAConfirmedCrisisFirstAndAcknowledgesIt() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1).minusSeconds(240), 191, 117), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 187, 121), 201);
        String alertId = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0).get("id").asText();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        browser.get(api.baseUrl() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(Clinic.RIVERA);
        browser.findElement(By.id("password")).sendKeys(Credentials.fromEnvironment().password(Clinic.RIVERA));
        browser.findElement(By.id("kc-login")).click();

        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article[data-alert='" + alertId + "']")));
        assertThat(card.getText()).contains(patient).contains("hypertensive-crisis").contains("high");
        screenshot("portal-alerts.png");
        card.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("article[data-alert='" + alertId + "'] .result"), "ACKNOWLEDGED"));
        assertThat(expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200).json()
                .get(0).get("acknowledgedBy").asText()).isEqualTo(Clinic.RIVERA);
    }

    @Test
    void aComplianceOfficerRunsTheFairnessReportAndSeesItCharted() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(api.baseUrl() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("compliance");
        browser.findElement(By.id("password")).sendKeys(Credentials.fromEnvironment().password(Clinic.COMPLIANCE));
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("runFairness"))).click();
        WebElement chart = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#fairnessChart svg")));
        assertThat(chart.getAttribute("aria-label")).isEqualTo("sex: rate by group");
        assertThat(browser.findElement(By.id("fairnessMeta")).getText()).contains("proposals").contains("Fisher");
        screenshot("portal-fairness.png");
    }

    void screenshot(String name) throws java.io.IOException {
        Path out = Path.of("target", name);
        Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
    }
}
