package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.clinloop.client.Clinic.expect;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.logging.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinloop.client.FhirJson;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
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

/**
 * The portal in headless Chromium against the real Keycloak and service: a clinician's panel, queue,
 * patient page (the blood-pressure chart checked point by point) and decisions; the token renewal;
 * the compliance officer's fairness chart.
 */
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
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
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

    /** Signs in through Keycloak's login page; waits until the portal knows who signed in. */
    void signIn(String user, String password) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(api.baseUrl() + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("signin"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "("));
    }

    /** A patient of Dr Rivera's with a name of their own, at {@code step}, with bounds as given (null: none). */
    static String namedPatient(String family, String given, int step, com.fasterxml.jackson.databind.node.ObjectNode bounds) {
        String id = "it-portal-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        clinic.registerPatient(id, family, given, "female", "1957-05-06", "dr-rivera");
        clinic.setRegimen(id, Clinic.RIVERA, step);
        if (bounds != null) {
            clinic.signBounds(id, Clinic.RIVERA, bounds);
        }
        return id;
    }

    static JsonNode openTask(String patient) {
        for (JsonNode t : expect(api.get("/api/tasks?status=REQUESTED", clinic.clinician(Clinic.RIVERA)), 200).json()) {
            if (patient.equals(t.get("patientId").asText())) {
                return t;
            }
        }
        throw new AssertionError("expected an open task for " + patient);
    }

    /** Where the chart says it draws: its plot area, time range and value range, from the svg's data attributes. */
    record Plot(double left, double top, double width, double height, double from, double to, double yMin, double yMax) {

        static Plot of(WebElement svg) {
            String[] p = svg.getAttribute("data-plot").split(",");
            return new Plot(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                    Double.parseDouble(p[3]), num(svg, "data-from"), num(svg, "data-to"), num(svg, "data-y-min"),
                    num(svg, "data-y-max"));
        }

        double x(Instant t) {
            return left + (t.toEpochMilli() - from) / (to - from) * width;
        }

        double y(double value) {
            return top + (yMax - value) / (yMax - yMin) * height;
        }
    }

    static double num(WebElement e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    @Test
    void aClinicianFindsThePatientOnThePanelOpensTheChartAndApprovesTheProposal() throws Exception {
        String family = "Okonkwo" + java.util.UUID.randomUUID().toString().substring(0, 4);
        String patient = namedPatient(family, "Ifeoma", 1, FhirJson.bounds(0, 3, 1, 100, 0.6, false));
        Instant older = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        Instant old = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        Instant recent = ItEnvironment.hoursAgo(2);
        expect(clinic.postReading(patient, older, 148, 93), 201);
        expect(clinic.postReading(patient, old, 146, 91), 201);
        expect(clinic.postReading(patient, recent, 153, 96), 201);
        JsonNode task = openTask(patient);
        JsonNode explained = PanelIT.explanation(task.get("id").asText(), clinic.clinician(Clinic.RIVERA));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));
        assertThat(browser.findElement(By.id("who")).getText()).contains("Ana Rivera").contains("clinician");

        // The panel: by name, with its status.
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#panelRows tr[data-patient='" + patient + "']")));
        assertThat(row.findElement(By.tagName("th")).getText()).isEqualTo("Ifeoma " + family);
        assertThat(row.findElement(By.cssSelector("td.status")).getText()).contains("proposal pending").contains("above target");
        assertThat(row.findElement(By.cssSelector("td.autonomy")).getText()).contains("not earned");
        List<Integer> risks = browser.findElements(By.cssSelector("#panelRows tr")).stream()
                .map(r -> Integer.parseInt(r.getAttribute("data-risk"))).toList();
        assertThat(risks).as("the panel opens riskiest first").isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        screenshot("portal-panel.png");

        // The queue: one row for the patient, with the change and why.
        browser.findElement(By.cssSelector("#clinicianNav a[href='#/queue']")).click();
        WebElement queued = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#queueRows tr[data-patient='" + patient + "']")));
        assertThat(browser.findElements(By.cssSelector("#queueRows tr[data-patient='" + patient + "']"))).hasSize(1);
        assertThat(queued.getAttribute("data-task")).isEqualTo(task.get("id").asText());
        assertThat(queued.getText()).contains("Ifeoma " + family).contains(task.get("direction").asText())
                .contains(task.get("proposedDose").asText()).contains(task.get("reasons").get(0).asText());
        screenshot("portal-queue.png");

        // The patient page: the chart, 30 days by default.
        queued.findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patientTitle"), "Ifeoma " + family));
        WebElement svg = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#bpChart svg.bp")));
        Plot plot = Plot.of(svg);
        assertThat(plot.to() - plot.from()).isEqualTo(30 * 86_400_000.0);
        List<WebElement> systolic = svg.findElements(By.cssSelector("circle.point.systolic"));
        List<WebElement> diastolic = svg.findElements(By.cssSelector("circle.point.diastolic"));
        assertThat(systolic).hasSize(3);
        assertThat(diastolic).hasSize(3);
        Instant[] times = {older, old, recent};
        double[] sys = {148, 146, 153};
        double[] dia = {93, 91, 96};
        for (int i = 0; i < 3; i++) {
            assertThat(num(systolic.get(i), "cx")).as("x of reading %d", i).isCloseTo(plot.x(times[i]), within(1.0));
            assertThat(num(systolic.get(i), "cy")).as("systolic y of reading %d", i).isCloseTo(plot.y(sys[i]), within(1.0));
            assertThat(num(diastolic.get(i), "cy")).as("diastolic y of reading %d", i).isCloseTo(plot.y(dia[i]), within(1.0));
        }
        // Target (below 130, above the bounds' floor of 100), the floor and the crisis line as bands.
        WebElement target = svg.findElement(By.cssSelector("rect.band.target"));
        assertThat(num(target, "y")).isCloseTo(plot.y(130), within(1.0));
        assertThat(num(target, "y") + num(target, "height")).isCloseTo(plot.y(100), within(1.0));
        WebElement floor = svg.findElement(By.cssSelector("rect.band.floor"));
        assertThat(num(floor, "y")).isCloseTo(plot.y(100), within(1.0));
        WebElement crisis = svg.findElement(By.cssSelector("rect.band.crisis"));
        assertThat(num(crisis, "y") + num(crisis, "height")).isCloseTo(plot.y(180), within(1.0));
        assertThat(num(svg.findElement(By.cssSelector("line.target-line.diastolic")), "y1")).isCloseTo(plot.y(80), within(1.0));
        assertThat(svg.findElements(By.cssSelector("g.marker.dose"))).isEmpty();
        assertThat(browser.findElement(By.id("regimen")).getText()).contains("lisinopril 5 mg daily");

        // 7 days shows the recent reading only.
        browser.findElement(By.cssSelector("button.range[data-days='7']")).click();
        WebElement week = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#bpChart svg.bp")));
        assertThat(week.findElements(By.cssSelector("circle.point.systolic"))).hasSize(1);
        browser.findElement(By.cssSelector("button.range[data-days='30']")).click();

        // The proposal, its reasons and model; approve it from here.
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#proposalBody article[data-task='" + task.get("id").asText() + "']")));
        assertThat(card.getText()).contains(task.get("proposedDose").asText()).contains(task.get("modelId").asText())
                .contains(task.get("rationale").asText()).contains("No alerts since this was proposed");
        // The recorded explanation: the features that weighed most and every rule that fired.
        List<String> features = card.findElements(By.cssSelector("table.contributions tr[data-feature]")).stream()
                .map(r -> r.getAttribute("data-feature")).toList();
        List<String> recorded = new java.util.ArrayList<>();
        explained.get("contributions").forEach(c -> recorded.add(c.get("feature").asText()));
        assertThat(features).isNotEmpty().isEqualTo(recorded.subList(0, Math.min(8, recorded.size())));
        List<String> rules = card.findElements(By.cssSelector("ul.rules li[data-rule]")).stream()
                .map(r -> r.getAttribute("data-rule")).toList();
        List<String> fired = new java.util.ArrayList<>();
        explained.get("rulesFired").forEach(f -> fired.add(f.get("rule").asText()));
        assertThat(rules).isNotEmpty().isEqualTo(fired);
        fullPageScreenshot("portal-patient.png");
        card.findElement(By.cssSelector("button.approve")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#proposalBody .result"), "APPROVED"));

        // The page reloads with the dose change drawn where it happened, after the last reading.
        WebElement marker = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#bpChart svg.bp g.marker.dose")));
        JsonNode adjustment = expect(api.get("/api/patients/" + patient + "/adjustments", clinic.clinician(Clinic.RIVERA)),
                200).json().get(0);
        Instant delivered = Instant.parse(adjustment.get("createdAt").asText());
        WebElement after = browser.findElement(By.cssSelector("#bpChart svg.bp"));
        assertThat(after.findElements(By.cssSelector("g.marker.dose"))).hasSize(1);
        assertThat(Long.parseLong(marker.getAttribute("data-at"))).isEqualTo(delivered.toEpochMilli());
        assertThat(num(marker.findElement(By.tagName("line")), "x1")).isCloseTo(Plot.of(after).x(delivered), within(1.0))
                .isGreaterThan(num(after.findElements(By.cssSelector("circle.point.systolic")).get(2), "cx"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("proposalBody"), "No proposal waits"));
        screenshot("portal-approved.png");

        var decided = expect(api.get("/api/tasks/" + task.get("id").asText(), clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(decided.get("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.get("decidedBy").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("doseStep").asInt()).isEqualTo(task.get("toStep").asInt());
    }

    @Test
    void aClinicianModifiesAProposalToAStepInsideTheBoundsAndRejectsAnother() throws Exception {
        String modified = namedPatient("Modi", "Mara", 1, FhirJson.bounds(0, 3, 1, 100, 0.6, false));
        String rejected = namedPatient("Reji", "Rosa", 1, null);
        expect(clinic.postReading(modified, ItEnvironment.hoursAgo(2), 153, 96), 201);
        expect(clinic.postReading(rejected, ItEnvironment.hoursAgo(2), 153, 96), 201);
        JsonNode toModify = openTask(modified);
        JsonNode toReject = openTask(rejected);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));

        browser.get(api.baseUrl() + "/#/patient/" + modified);
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#proposalBody article[data-task='" + toModify.get("id").asText() + "']")));
        // Offered: the steps the server's re-check would deliver (GET …/steps), but the proposed one.
        List<String> offered = card.findElements(By.cssSelector("#modifyStep option")).stream()
                .map(o -> o.getAttribute("value")).toList();
        JsonNode options = expect(api.get("/api/tasks/" + toModify.get("id").asText() + "/steps",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        List<String> expected = new java.util.ArrayList<>();
        List<String> refused = new java.util.ArrayList<>();
        for (JsonNode o : options.get("steps")) {
            if (o.get("allowed").asBoolean() && !o.get("proposed").asBoolean()) {
                expected.add(o.get("step").asText());
            } else if (!o.get("allowed").asBoolean() && !o.get("current").asBoolean()) {
                refused.add(o.get("step").asText());
                assertThat(o.get("refusals")).as("a refused step says why").isNotEmpty();
            }
        }
        assertThat(expected).as("inside the bounds 0-3, not the current step 1").contains("2").doesNotContain("1");
        assertThat(refused).as("beyond the bounds' highest step").contains("4");
        assertThat(card.findElements(By.cssSelector("details.not-offered li[data-step]")).stream()
                .map(li -> li.getAttribute("data-step")).toList()).isEqualTo(refused);
        assertThat(offered).isEqualTo(expected);
        // The bounds' history: the one version signed, active.
        browser.findElement(By.cssSelector("#boundsHistory summary")).click();
        List<WebElement> versions = browser.findElements(By.cssSelector("#boundsRows tr[data-version]"));
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).getText()).contains("v1 (active)").contains(Clinic.RIVERA).contains("0–3");
        new Select(card.findElement(By.id("modifyStep"))).selectByValue("2");
        card.findElement(By.cssSelector("button.modify")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#proposalBody .result"),
                "modified to step 2"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#bpChart svg.bp g.marker.dose")));
        assertThat(expect(api.get("/api/patients/" + modified + "/regimen", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("doseStep").asInt()).isEqualTo(2);

        browser.findElement(By.cssSelector("#clinicianNav a[href='#/panel']")).click();
        By link = By.cssSelector("#panelRows tr[data-patient='" + rejected + "'] a");
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(link).click();
            return true;
        });
        card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#proposalBody article[data-task='" + toReject.get("id").asText() + "']")));
        new Select(card.findElement(By.id("rejectReason"))).selectByValue("PATIENT_PREFERENCE");
        card.findElement(By.id("decisionNote")).sendKeys("prefers to wait for the next visit");
        card.findElement(By.cssSelector("button.reject")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#proposalBody .result"), "REJECTED"));
        JsonNode decided = expect(api.get("/api/tasks/" + toReject.get("id").asText(), clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(decided.get("reasonCode").asText()).isEqualTo("PATIENT_PREFERENCE");
        assertThat(decided.get("note").asText()).isEqualTo("prefers to wait for the next visit");
        assertThat(logErrors()).isEmpty();
    }

    @Test
    void aClinicianAcknowledgesAConfirmedCrisisWithANoteAndSeesItOnTheChart() throws Exception {
        String patient = namedPatient("Crisp", "Chen", 1, null);
        Instant first = ItEnvironment.hoursAgo(1).minusSeconds(240);
        expect(clinic.postReading(patient, first, 191, 117), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 187, 121), 201);
        JsonNode alert = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0);
        String alertId = alert.get("id").asText();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#panelRows tr[data-patient='" + patient + "']")));
        assertThat(row.findElement(By.cssSelector("td.status")).getText()).contains("alert");
        browser.findElement(By.cssSelector("#clinicianNav a[href='#/alerts']")).click();
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article[data-alert='" + alertId + "']")));
        assertThat(card.getText()).contains("Chen Crisp").contains("hypertensive-crisis").contains("high");
        screenshot("portal-alerts.png");
        WebElement note = card.findElement(By.cssSelector("input[type='text']"));
        note.clear();
        note.sendKeys("called the patient, repeat reading arranged");
        card.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("article[data-alert='" + alertId + "'] .result"), "ACKNOWLEDGED"));
        assertThat(expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200).json()
                .get(0).get("acknowledgedBy").asText()).isEqualTo(Clinic.RIVERA);

        card.findElement(By.tagName("a")).click();
        WebElement svg = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#bpChart svg.bp")));
        List<WebElement> alerts = svg.findElements(By.cssSelector("g.marker.alert.high"));
        assertThat(alerts).hasSize(expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)),
                200).json().size());
        Instant raised = Instant.parse(alert.get("createdAt").asText());
        WebElement marker = alerts.stream().filter(m -> m.getAttribute("data-at").equals(String.valueOf(raised.toEpochMilli())))
                .findFirst().orElseThrow();
        String d = marker.findElement(By.tagName("path")).getAttribute("d");
        double x = Double.parseDouble(d.substring(1, d.indexOf(',')));
        assertThat(x).isCloseTo(Plot.of(svg).x(raised), within(1.0));
        // Both crisis readings are drawn inside the crisis band.
        Plot plot = Plot.of(svg);
        for (WebElement p : svg.findElements(By.cssSelector("circle.point.systolic"))) {
            assertThat(num(p, "cy")).isLessThan(plot.y(180));
        }
        screenshot("portal-crisis-chart.png");
    }

    @Test
    void theAccessTokenIsRenewedBeforeItEndsAndAFailedRenewalSaysSo() throws Exception {
        KeycloakAdmin admin = new KeycloakAdmin(ItEnvironment.KEYCLOAK);
        String before = admin.setClientAttribute("clinloop-portal", "access.token.lifespan", "20");
        try {
            String patient = namedPatient("Renew", "Rene", 1, null);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));
            JsonNode first = session();
            // Keycloak's expires_in is whole seconds left when it answers, so 19 s when the second turns meanwhile.
            assertThat(first.get("expires").asLong() - first.get("issued").asLong()).as("a 20 s token")
                    .isBetween(19_000L, 20_000L);

            // Renewed at 70% of its life (14 s), before it ends.
            wait.until(d -> "1".equals(browser.findElement(By.tagName("body")).getAttribute("data-renewals")));
            JsonNode second = session();
            assertThat(second.get("access").asText()).isNotEqualTo(first.get("access").asText());
            assertThat(second.get("issued").asLong()).isLessThan(first.get("expires").asLong());
            // Past the first token's end, the portal still reads with the renewed one.
            long wait20 = first.get("expires").asLong() + 1000 - System.currentTimeMillis();
            if (wait20 > 0) {
                Thread.sleep(wait20);
            }
            browser.get(api.baseUrl() + "/#/patient/" + patient);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patientTitle"), "Rene Renew"));
            assertThat(browser.findElement(By.id("session")).isDisplayed()).isFalse();

            // Keycloak refuses the next renewal (the refresh token no longer valid): the page says so and offers sign-in.
            browser.executeScript("const s = JSON.parse(sessionStorage.getItem('clinloop.session'));"
                    + "s.refresh = s.refresh.slice(0, -8) + 'AAAAAAAA';"
                    + "sessionStorage.setItem('clinloop.session', JSON.stringify(s));");
            WebElement ended = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session")));
            assertThat(ended.getText()).contains("could not be renewed").contains("Keycloak answered 400");
            assertThat(browser.findElement(By.id("signinAgain")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("signin")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.tagName("body")).getAttribute("data-session")).isEqualTo("ended");
            screenshot("portal-session-ended.png");
        } finally {
            admin.setClientAttribute("clinloop-portal", "access.token.lifespan", before);
        }
    }

    JsonNode session() throws java.io.IOException {
        return new ObjectMapper().readTree((String) browser.executeScript(
                "return sessionStorage.getItem('clinloop.session');"));
    }

    /** Severe entries of the browser's console (uncaught errors, failed requests). */
    List<String> logErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(Object::toString)
                .filter(e -> !e.contains(ItEnvironment.KEYCLOAK)).toList();
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

    @Test
    void aComplianceOfficerSearchesOpensAnEntrySeesItsInclusionVerifiedInThePageAndReplaysTheDecision() throws Exception {
        String patient = namedPatient("Adeyemi" + java.util.UUID.randomUUID().toString().substring(0, 4), "Tolu", 1,
                FhirJson.bounds(0, 3, 1, 100, 0.6, false));
        expect(clinic.postReading(patient, Instant.now().minus(Duration.ofDays(12)).truncatedTo(ChronoUnit.SECONDS), 149, 94), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(3), 154, 97), 201);
        JsonNode decided = expect(api.get("/api/audit/entries?type=TIER_DECIDED&patient=" + patient, clinic.compliance()), 200).json();
        assertThat(decided).as("the patient's decisions").isNotEmpty();
        long sequence = decided.get(0).get("sequence").asLong();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        signIn(Clinic.COMPLIANCE, Credentials.fromEnvironment().password(Clinic.COMPLIANCE));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auditSearch")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("treeHead"), "verified in this browser"));
        WebElement patientField = browser.findElement(By.id("auditPatient"));
        patientField.sendKeys(patient);
        new Select(browser.findElement(By.id("auditType"))).selectByValue("TIER_DECIDED");
        browser.findElement(By.id("auditGo")).click();
        WebElement open = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#auditRows button[data-sequence='" + sequence + "']")));
        assertThat(browser.findElements(By.cssSelector("#auditRows tr"))).hasSize(decided.size());
        open.click();

        // Every check ran in the page, with WebCrypto, and passed.
        WebElement verdict = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#proofVerdict[data-verified]")));
        List<WebElement> checks = browser.findElements(By.cssSelector("#proofChecks li"));
        assertThat(checks).extracting(WebElement::getText).as(verdict.getText()).hasSize(5)
                .allSatisfy(t -> assertThat(t).startsWith("✓"));
        assertThat(verdict.getAttribute("data-verified")).isEqualTo("true");
        assertThat(verdict.getText()).startsWith("Verified in this browser: entry #" + sequence);

        // The page's checks are not a formality: each refuses what was tampered with.
        @SuppressWarnings("unchecked")
        List<List<String>> tampered = (List<List<String>>) ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const get = async (p) => (await fetch(p, { headers: { Authorization: `Bearer ${await accessToken()}` } })).json();
                  const entry = await get('/api/audit/entries/%d');
                  const head = await get('/api/audit/tree-head');
                  const key = await get('/api/audit/public-key');
                  const proof = await get(`/api/audit/proof/inclusion?sequence=%d&size=${head.size}`);
                  const failed = async (e, p, h, k) => (await AuditProof.checkEntry(e, p, h, k)).filter((c) => !c.ok).map((c) => c.name);
                  const flip = (hex) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
                  return [
                    await failed(entry, proof, head, key),
                    await failed({ ...entry, actorId: entry.actorId + 'x' }, proof, head, key),
                    await failed(entry, { ...proof, path: proof.path.map((p, i) => (i === 0 ? flip(p) : p)) }, head, key),
                    await failed(entry, proof, { ...head, size: head.size + 1 }, key),
                    await failed(entry, proof, { ...head, timestamp: '2020-01-01T00:00:00Z' }, key),
                  ];
                })().then(done, (e) => done(String(e)));
                """.formatted(sequence, sequence));
        assertThat(tampered).as("failed checks: untouched, actor changed, a path hash changed, another size, another time")
                .hasSize(5);
        assertThat(tampered.get(0)).as("the entry as recorded").isEmpty();
        assertThat(tampered.get(1)).as("a changed actor").contains("Chain hash recomputed from the entry", "Leaf hash computed here");
        assertThat(tampered.get(2)).as("a changed path hash").hasSize(1).first().asString().startsWith("Inclusion proof");
        assertThat(tampered.get(3)).as("a head of another size").containsExactly(
                "Root is the signed tree head’s", "Tree head signature (Ed25519) by the published key");
        assertThat(tampered.get(4)).as("a head of another time").containsExactly(
                "Tree head signature (Ed25519) by the published key");
        screenshot("portal-audit-entry.png");

        // Replay the decision the entry records.
        browser.findElement(By.id("replay")).click();
        WebElement replayed = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#replayResult [data-matches]")));
        assertThat(replayed.getAttribute("data-matches")).as(replayed.getText()).isEqualTo("true");

        // The model history reads the log: the model the suite activated is there, with who activated it.
        WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("modelHistoryRows")));
        assertThat(history.getText()).contains("activated").contains(clinic.ensureActiveModel());
        assertThat(logErrors()).isEmpty();
        fullPageScreenshot("portal-audit.png");
    }

    @Test
    void aClinicianSignsNewBoundsAndAGoalInThePatientPageAndSeesBoundsOutsideTheHardLimitsRefusedInTheRulesWords()
            throws Exception {
        String patient = namedPatient("Nakamura" + java.util.UUID.randomUUID().toString().substring(0, 4), "Yui", 1,
                FhirJson.bounds(0, 3, 1, 100, 0.6, false));
        // What the server says of a version beyond the protocol's ladder (asked once here, to compare the page's words).
        ClinLoopClient.Reply refusedByApi = expect(api.post("/api/patients/" + patient + "/bounds",
                clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE, FhirJson.bounds(0, 12, 1, 100, 0.6, false).toString()), 422);
        String words = refusedByApi.json().get("issue").get(0).get("diagnostics").asText();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));
        browser.get(api.baseUrl() + "/#/patient/" + patient);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("boundsRows"), "v1 (active)"));
        browser.findElement(By.cssSelector("#boundsEditor summary")).click();
        WebElement highest = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bHighest")));
        assertThat(highest.getAttribute("value")).as("filled with the active version").isEqualTo("3");

        highest.clear();
        highest.sendKeys("12");
        browser.findElement(By.id("boundsSign")).click();
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#boundsResult .error")));
        assertThat(refused.getText()).isEqualTo("Refused: 422: " + words);

        highest = browser.findElement(By.id("bHighest"));
        highest.clear();
        highest.sendKeys("2");
        WebElement floor = browser.findElement(By.id("bFloor"));
        floor.clear();
        floor.sendKeys("105");
        browser.findElement(By.id("boundsSign")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("boundsResult"), "signed and active."));
        JsonNode active = expect(api.get("/api/patients/" + patient + "/bounds", clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(active.get("highestStep").asInt()).isEqualTo(2);
        assertThat(active.get("systolicFloor").asDouble()).isEqualTo(105.0);
        assertThat(browser.findElement(By.id("boundsResult")).getText())
                .isEqualTo("Bounds v" + active.get("version").asInt() + " signed and active.");
        assertThat(browser.findElement(By.cssSelector("#boundsRows tr.active")).getAttribute("data-version"))
                .isEqualTo(active.get("version").asText());

        browser.findElement(By.cssSelector("#goalEditor summary")).click();
        WebElement systolic = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("gSystolic")));
        systolic.clear();
        systolic.sendKeys("125");
        WebElement diastolic = browser.findElement(By.id("gDiastolic"));
        diastolic.clear();
        diastolic.sendKeys("75");
        browser.findElement(By.id("goalSet")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("goalResult"), "Goal set: below 125/75 mm[Hg]."));
        assertThat(browser.findElement(By.id("plan")).getText()).contains("Goal: below 125/75 mm[Hg]");
        JsonNode goal = expect(api.get("/api/patients/" + patient + "/goal", clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(goal.get("systolicTarget").asDouble()).isEqualTo(125.0);
        assertThat(logErrors()).isEmpty();
        fullPageScreenshot("portal-bounds-editor.png");
    }

    @Test
    void aNewAlertReachesAnOpenPortalWithoutAReloadAndTheTabCountsTheUnacknowledgedAlerts() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        org.openqa.selenium.JavascriptExecutor js = browser;
        signIn(Clinic.RIVERA, Credentials.fromEnvironment().password(Clinic.RIVERA));
        browser.findElement(By.cssSelector("#clinicianNav a[href='#/alerts']")).click();
        wait.until(d -> js.executeScript("return document.body.dataset.workload") != null);
        js.executeScript("window.clinloopSameDocument = true;"); // gone if the page were loaded again

        String patient = namedPatient("Livingstone" + java.util.UUID.randomUUID().toString().substring(0, 4), "Lee", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1).minusSeconds(240), 192, 118), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 188, 122), 201);
        String alertId = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0).get("id").asText();

        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article[data-alert='" + alertId + "']")));
        assertThat(card.getText()).contains("Lee Livingstone");
        assertThat(js.executeScript("return window.clinloopSameDocument === true")).as("no reload").isEqualTo(true);
        int open = expect(api.get("/api/alerts", clinic.clinician(Clinic.RIVERA)), 200).json().size();
        wait.until(ExpectedConditions.titleIs("(" + open + ") ClinLoop"));
        assertThat(browser.findElement(By.cssSelector("#clinicianNav a[href='#/alerts']")).getText())
                .isEqualTo("Alerts (" + open + ")");
        assertThat(logErrors()).isEmpty();
    }

    @Test
    void aStewardTrainsACandidateSeesItsGatesPromotesItThroughTheSignOffDialogAndRollsBack() throws Exception {
        String before = clinic.ensureActiveModel();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        signIn(Clinic.STEWARD, Credentials.fromEnvironment().password(Clinic.STEWARD));
        WebElement seed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trainSeed")));
        seed.clear();
        seed.sendKeys(String.valueOf(9000 + new java.util.Random().nextInt(1000)));
        browser.findElement(By.cssSelector("#trainModel button[type='submit']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(300)).until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("modelResult"), "registered as a CANDIDATE"));
        String candidate = browser.findElement(By.id("modelResult")).getText().split(" ")[0];

        // The gates, as activation would weigh them now, against the active version.
        JsonNode gates = expect(api.get("/api/models/" + candidate + "/gates", clinic.steward()), 200).json();
        List<JsonNode> failing = new java.util.ArrayList<>();
        gates.get("checks").forEach(c -> {
            if (!c.get("passed").asBoolean()) {
                failing.add(c);
            }
        });
        By card = By.cssSelector("article[data-model='" + candidate + "']");
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article[data-model='" + candidate + "'] details.gates summary")));
        assertThat(summary.getText()).isEqualTo("Gates: " + (gates.get("checks").size() - failing.size()) + " of "
                + gates.get("checks").size() + " pass, compared with " + before);

        // Promotion states what is signed before anything happens.
        browser.findElement(card).findElement(By.cssSelector("button.promote")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signOff")));
        assertThat(dialog.getText()).contains("sign off model version " + candidate).contains("replacing " + before + ".")
                .contains("recorded in the audit log under your name");
        screenshot("portal-steward-sign-off.png");
        browser.findElement(By.id("signOffConfirm")).click();
        if (failing.isEmpty()) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("modelResult"), candidate + " is now ACTIVE."));
            assertThat(expect(api.get("/api/models/" + candidate, clinic.steward()), 200).json().get("status").asText())
                    .isEqualTo("ACTIVE");
            WebElement active = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("article[data-model='" + candidate + "'][data-status='ACTIVE']")));
            fullPageScreenshot("portal-steward.png");
            active.findElement(By.cssSelector("button.rollback")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signOffReason")))
                    .sendKeys("Portal test: back to the suite's model");
            browser.findElement(By.id("signOffConfirm")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("modelResult"), before + " is ACTIVE again."));
        } else {
            WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("article[data-model='" + candidate + "'] .result .error")));
            assertThat(refused.getText()).startsWith("Refused: 422").contains(failing.get(0).get("message").asText());
            fullPageScreenshot("portal-steward.png");
        }
        assertThat(clinic.ensureActiveModel()).as("the suite's model is active again").isEqualTo(before);
        assertThat(logErrors()).isEmpty();
    }

    @Test
    void thePagesCarryAStrictContentSecurityPolicyAndApiAnswersAreNeverCached() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.baseUrl() + "/")).timeout(Duration.ofSeconds(60)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self' " + ItEnvironment.KEYCLOAK)
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api.baseUrl() + "/api/audit/event-types")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + clinic.compliance()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(answer.body()).contains("\"TIER_DECIDED\"");
    }

    /** A screenshot of the whole page, however long: the window is made as tall as the page for it. */
    void fullPageScreenshot(String name) throws java.io.IOException {
        org.openqa.selenium.Dimension before = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(before.getWidth(), (int) Math.min(height + 40, 4000)));
        screenshot(name);
        browser.manage().window().setSize(before);
    }

    void screenshot(String name) throws java.io.IOException {
        Path out = Path.of("target", name);
        Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
    }
}
