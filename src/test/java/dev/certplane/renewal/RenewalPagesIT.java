package dev.certplane.renewal;

import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.certplane.acme.AcmeIT;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Serials;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Part;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.Browser;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RenewalApi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The renewal pages in Debian's headless Chromium: a policy made through the form (the service's refusals shown
 * beside it), renew now from the managed certificate page with the history loaded into it, the inventory's detail
 * panel for managed, unmanaged and CA certificates, and a change-gated renewal approved by a second operator in the
 * queue and released by a sweep run from the UI. Screenshots go to target/screenshots/.
 */
@AcmeIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenewalPagesIT {

    private static final String PASSWORD = IntegrationTestConfig.ADMIN_PASSWORD;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    Browser browser;
    ApiClient api;
    /** Makes this run's organizations and names unique in the shared context and database. */
    final String run = "rn" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start() {
        browser = new Browser(port);
        api = new ApiClient(port, certplane.caBundleFile());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void desktop() {
        browser.size(Browser.DESKTOP);
        browser.logIn("admin", PASSWORD);
    }

    @Test
    void aPolicyIsCreatedAndEditedThroughTheFormWhichShowsTheServiceRefusals() {
        String organization = "form-" + run;
        browser.open("/renewal/policies");
        browser.click(browser.find("#create-policy"));
        browser.waiting().until(d -> browser.present("#policy-form"));
        new Select(browser.find("#scope")).selectByValue("organization");
        browser.find("#organization").sendKeys(organization);
        new Select(browser.find("#method")).selectByValue("manual");
        WebElement autoRenew = browser.find("#autoRenew");
        assertThat(autoRenew.isEnabled()).as("manual never dispatches: the toggle is off").isFalse();
        assertThat(autoRenew.isSelected()).isFalse();
        assertThat(browser.find("#acme-fields").isDisplayed()).isFalse();
        // A browser without the script would send the toggle: the server refuses it with the service's message.
        browser.script("const box = document.getElementById('autoRenew'); box.disabled = false; box.checked = true;");
        browser.click(browser.find("#save-policy"));
        awaitText("#form-error", "autoRenew cannot be enabled for method manual: manual only tracks certificates");
        assertThat(browser.find("#organization").getAttribute("value")).isEqualTo(organization);
        assertThat(new Select(browser.find("#method")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("manual");
        browser.screenshot("renewal-policy-refused");

        new Select(browser.find("#method")).selectByValue("acme");
        assertThat(browser.find("#acme-fields").isDisplayed()).isTrue();
        browser.click(browser.find("#save-policy"));
        awaitText("#form-error", "method acme needs acmeIssuerId naming an ACME issuer");

        new Select(browser.find("#method")).selectByValue("internal");
        if (!browser.find("#autoRenew").isSelected()) {
            browser.click(browser.find("#autoRenew"));
        }
        browser.click(browser.find("#rollbackOnFailure"));
        browser.click(browser.find("#save-policy"));
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText())
                .isEqualTo("Renewal policy created: organization " + organization + ", method internal.");
        WebElement card = card(organization);
        assertThat(card.findElement(By.cssSelector("[data-test=method]")).getText()).isEqualTo("internal");
        assertThat(card.findElement(By.cssSelector("[data-test=auto-renew]")).getText()).isEqualTo("auto-renew on");
        assertThat(card.getText()).contains("Renew before\n30 days", "Rollback on failure\nyes",
                "Max concurrent renewals\n5", "Change record required\nno");
        browser.screenshot("renewal-policies");

        browser.click(card.findElement(By.linkText("Edit")));
        browser.waiting().until(d -> browser.present("#policy-form"));
        assertThat(browser.find("#scope").isEnabled()).as("the scope cannot change").isFalse();
        browser.find("#renewBeforeDays").clear();
        browser.find("#renewBeforeDays").sendKeys("0");
        browser.click(browser.find("#save-policy"));
        awaitText("#form-error", "renewBeforeDays must be from 1 to 365 (got 0)");
        browser.find("#renewBeforeDays").clear();
        browser.find("#renewBeforeDays").sendKeys("45");
        browser.click(browser.find("#save-policy"));
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(card(organization).getText()).contains("Renew before\n45 days");
        JsonNode saved = policy(organization);
        assertThat(saved.get("renewBeforeDays").asInt()).isEqualTo(45);
        assertThat(saved.get("rollbackOnFailure").asBoolean()).isTrue();

        browser.click(card(organization).findElement(By.cssSelector("button.btn-outline-danger")));
        browser.driver().switchTo().alert().accept();
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText()).startsWith("Renewal policy deleted: organization " + organization);
        assertThat(browser.present("#policies [data-scope='" + organization + "']")).isFalse();
    }

    @Test
    void renewNowOnTheManagedCertificatePageDispatchesAndTheHistoryShowsTheAttempt() throws Exception {
        String organization = "internal-" + run;
        createPolicy(organization, false);
        String name = "renew " + run;
        String managed = managedCertificate(name, organization, "renew." + run + ".example.test");

        browser.open("/managed-certificates/" + managed);
        browser.waiting().until(d -> browser.present("#renewal-history"));
        assertThat(browser.find("#applying-policy").getText()).startsWith("Organization " + organization + ": internal");
        assertThat(browser.find("#attempts").getText()).contains("No renewal attempt yet.");
        renewNow();
        String notice = browser.find("#notice").getText();
        assertThat(notice).matches("Renewal dispatched \\(job [A-Za-z0-9_-]+\\)");
        String attempt = notice.replaceAll(".*\\(job (.*)\\)", "$1");
        awaitAttemptState("/managed-certificates/" + managed, attempt, "completed");
        WebElement row = browser.find("#attempts tr[data-id='" + attempt + "']");
        assertThat(row.getText()).contains("internal", "manual", "admin", "— → 1", "internal-ca:");
        browser.screenshot("renewal-history");

        // The same history as a renewal page, and the inventory's panel of the version it issued.
        browser.open("/renewal/managed/" + managed);
        assertThat(browser.find("#attempts tr[data-id='" + attempt + "'] [data-test=state]").getText())
                .isEqualTo("completed");
        browser.open("/managed-certificates/" + managed);
        String version = URI.create(browser.find("#versions a.mono").getAttribute("href")).getPath();
        browser.open(version);
        browser.waiting().until(d -> browser.present("#renewal-panel"));
        assertThat(browser.find("#renewal-panel").getText()).contains(name, "Renewal history", "completed");
        browser.screenshot("renewal-certificate-panel");
        assertThat(renewNow()).startsWith("Renew renew." + run + ".example.test (SHA-256 ").contains("…, expires ");
        assertThat(browser.find("#notice").getText()).startsWith("Renewal dispatched (job ");
        assertThat(browser.driver().getCurrentUrl()).endsWith(version);

        // Its issuing CA is never renewed: no panel, no button.
        String ca = URI.create(browser.driver().findElements(By.cssSelector("#chain a")).get(1).getAttribute("href"))
                .getPath();
        browser.open(ca);
        browser.waiting().until(d -> browser.present("#detail-panel"));
        assertThat(browser.present("#renewal-panel")).isFalse();
        assertThat(browser.present("#renew-now")).isFalse();

        // A leaf that is no version of a managed certificate says so, without a button.
        browser.open(unmanagedLeaf());
        browser.waiting().until(d -> browser.present("#renewal-panel"));
        assertThat(browser.find("#not-managed").getText()).startsWith("Not a version of any managed certificate");
        assertThat(browser.present("#renew-now")).isFalse();
    }

    @Test
    void aFailedRenewalShowsTheRetryBannerAndTheErrorInTheHistory() {
        RenewalApi renewal = new RenewalApi(api);
        String profile = "fail" + run.substring(2, 8);
        renewal.profile(profile, "90d");
        String organization = "failing-" + run;
        renewal.policy("\"scope\":\"organization\",\"organization\":\"" + organization + "\",\"method\":\"internal\","
                + "\"rollbackOnFailure\":true");
        String managed = renewal.managed("failing " + run, organization, profile, List.of("www." + profile + ".test"));
        Instant notAfter = Instant.parse(renewal.renewed(managed).get("newNotAfter").asString());
        Instant start = clock.instant();
        try {
            // Certificates of a shortened profile would end before the version they replace: the renewal fails.
            renewal.profile(profile, "5d");
            clock.set(notAfter.minus(Duration.ofDays(20)));
            String attempt = renewal.renew(managed).json().get("attemptId").asString();
            renewal.awaitState(attempt, "rolled_back");

            browser.open("/renewal/managed/" + managed);
            assertThat(browser.find("#retry-banner").getText()).startsWith("Renewal retry scheduled");
            WebElement row = browser.find("#attempts tr[data-id='" + attempt + "']");
            assertThat(row.findElement(By.cssSelector("[data-test=state]")).getText()).isEqualTo("rolled back");
            assertThat(row.getText()).contains("before the version it renews", "version 1 is current again");
            browser.screenshot("renewal-retry-banner");
        } finally {
            renewal.profile(profile, "90d");
            clock.set(start);
        }
    }

    @Test
    void aChangeGatedRenewalIsApprovedByAnotherOperatorAndReleasedByTheSweep() {
        String organization = "gated-" + run;
        createPolicy(organization, true);
        String name = "gated " + run;
        String managed = managedCertificate(name, organization, "gated." + run + ".example.test");

        browser.open("/managed-certificates/" + managed);
        browser.waiting().until(d -> browser.present("#renewal-history"));
        renewNow();
        String notice = browser.find("#notice").getText();
        assertThat(notice).matches("Renewal awaiting change approval \\(attempt [A-Za-z0-9_-]+\\)");
        String attempt = notice.replaceAll(".*\\(attempt (.*)\\)", "$1");
        browser.waiting().until(d -> browser.present("#attempts tr[data-id='" + attempt + "']"));
        assertThat(browser.find("#attempts tr[data-id='" + attempt + "'] [data-test=state]").getText())
                .isEqualTo("awaiting change approval");
        browser.screenshot("renewal-awaiting-approval");

        // The requester cannot decide their own change.
        browser.open("/renewal/changes");
        browser.click(pendingRow(name).findElement(By.cssSelector("[data-test=approve]")));
        browser.waiting().until(d -> browser.present("#problem"));
        assertThat(browser.find("#problem").getText()).contains("was requested by admin; another operator with"
                + " certificates.manage must decide it");
        assertThat(pendingRow(name).findElement(By.cssSelector("[data-test=requester]")).getText()).isEqualTo("admin");

        String approver = "approver-" + run;
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + approver + "\",\"password\":\"first-"
                + run + "-password\",\"permissions\":[\"certificates.view\",\"certificates.manage\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        logInFirstTime(approver, "first-" + run + "-password", "second-" + run + "-password");
        browser.open("/renewal/changes");
        WebElement row = pendingRow(name);
        String number = row.getAttribute("data-number");
        row.findElement(By.cssSelector("input[name=note]")).sendKeys("window agreed " + run);
        browser.screenshot("renewal-approvals");
        browser.click(row.findElement(By.cssSelector("[data-test=approve]")));
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText())
                .isEqualTo("Change " + number + " approved; the next sweep dispatches the renewal.");
        WebElement decided = browser.find("#decided-changes tr[data-number='" + number + "']");
        assertThat(decided.findElement(By.cssSelector("[data-test=state]")).getText()).isEqualTo("approved");
        assertThat(decided.findElement(By.cssSelector("[data-test=decided-by]")).getText()).isEqualTo(approver);
        assertThat(decided.getText()).contains("window agreed " + run);
        browser.open("/renewal/changes?state=approved");
        assertThat(browser.present("#decided-changes tr[data-number='" + number + "']")).isTrue();
        browser.open("/renewal/changes?state=rejected");
        assertThat(browser.present("#decided-changes tr[data-number='" + number + "']")).isFalse();

        browser.open("/renewal/sweeps");
        browser.click(browser.find("#sweep-now button"));
        browser.waiting().until(d -> browser.present("#notice") || browser.present("#problem"));
        assertThat(browser.find("#notice").getText()).startsWith("Sweep finished: ").contains("approved and released");
        // The scheduled sweep may run beside it (and release the change first): find this one by its operator.
        assertThat(browser.driver().findElements(By.cssSelector("#sweeps tbody tr[data-id]")))
                .anySatisfy(sweep -> assertThat(sweep.getText()).contains("manual", approver));
        browser.screenshot("renewal-sweeps");

        awaitAttemptState("/renewal/managed/" + managed, attempt, "completed");
        assertThat(browser.find("#attempts tr[data-id='" + attempt + "']").getText()).contains("— → 1");
        browser.screenshot("renewal-approved-completed");
    }

    @Test
    void aViewerSeesTheRenewalPagesWithoutTheirActionsAndIsRefusedThem() {
        String organization = "viewed-" + run;
        createPolicy(organization, false);
        String managed = managedCertificate("viewed " + run, organization, "viewed." + run + ".example.test");
        String viewer = "renewal-viewer-" + run;
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + viewer + "\",\"password\":\"first-"
                + run + "-password\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        logInFirstTime(viewer, "first-" + run + "-password", "second-" + run + "-password");

        browser.open("/renewal/policies");
        assertThat(card(organization).getText()).contains("internal").doesNotContain("Edit", "Delete");
        assertThat(browser.present("#create-policy")).isFalse();
        browser.open("/renewal/sweeps");
        assertThat(browser.present("#sweep-now")).isFalse();
        browser.open("/managed-certificates/" + managed);
        browser.waiting().until(d -> browser.present("#renewal-history"));
        assertThat(browser.present("#renew-now")).isFalse();
        assertThat(postAs("/renewal/sweeps", "x=1")).isEqualTo(403);
        assertThat(postAs("/renewal/managed/" + managed + "/renew", "back=managed")).isEqualTo(403);
        browser.open("/renewal/policies/new");
        assertThat(browser.find("h1").getText()).startsWith("403");
    }

    /** The status of a form POST sent from the page with the session's CSRF token, as a hand-made request would. */
    private long postAs(String path, String body) {
        return (Long) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = document.querySelector('input[name=_csrf]').value;
                fetch(arguments[0], {method: 'POST', redirect: 'manual',
                    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: arguments[1] + '&_csrf=' + encodeURIComponent(csrf)}).then(r => done(r.status));
                """, path, body);
    }

    /** Clicks Renew now and accepts the confirmation; returns what the confirmation asked. */
    private String renewNow() {
        browser.click(browser.find("#renew-now button"));
        var confirmation = browser.driver().switchTo().alert();
        String asked = confirmation.getText();
        confirmation.accept();
        browser.waiting().until(d -> browser.present("#notice") || browser.present("#problem"));
        assertThat(browser.present("#problem")).as(() -> browser.find("#problem").getText()).isFalse();
        return asked;
    }

    /** Reloads the page until its history (loaded by htmx, or the page's own) shows the attempt in the state. */
    private void awaitAttemptState(String page, String attempt, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.open(page);
            browser.waiting().until(d -> browser.present("#attempts tr[data-id='" + attempt + "']"));
            assertThat(browser.find("#attempts tr[data-id='" + attempt + "'] [data-test=state]").getText())
                    .isEqualTo(state);
        });
    }

    private void awaitText(String css, String text) {
        browser.waiting().until(d -> browser.present(css) && browser.find(css).getText().equals(text));
    }

    private WebElement card(String organization) {
        return browser.find("#policies [data-scope='" + organization + "']");
    }

    private WebElement pendingRow(String managedName) {
        return browser.driver().findElements(By.cssSelector("#pending-changes tbody tr[data-id]")).stream()
                .filter(r -> r.getText().contains(managedName)).findFirst().orElseThrow();
    }

    private JsonNode policy(String organization) {
        for (JsonNode p : api.get("/api/renewal-policies", ADMIN).json()) {
            if (organization.equals(p.path("organization").asString(null))) {
                return p;
            }
        }
        throw new AssertionError("no policy for " + organization);
    }

    private void createPolicy(String organization, boolean changeRecord) {
        Response created = api.send("POST", "/api/renewal-policies", JSON.writeValueAsString(Map.of("scope",
                "organization", "organization", organization, "method", "internal", "autoRenew", true,
                "requireChangeRecord", changeRecord)), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private String managedCertificate(String name, String organization, String dnsName) {
        Response created = api.send("POST", "/api/managed-certificates", JSON.writeValueAsString(Map.of("name", name,
                "profile", "default", "names", List.of(dnsName), "owner", "web-team", "organization", organization)),
                ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** A first login: the new operator chooses a password before any other page. */
    private void logInFirstTime(String username, String first, String second) {
        browser.logIn(username, first);
        assertThat(browser.driver().getCurrentUrl()).endsWith("/account/password");
        browser.find("#current").sendKeys(first);
        browser.find("#password").sendKeys(second);
        browser.find("#confirm").sendKeys(second);
        browser.find("main button[type=submit]").click();
        browser.waiting().until(d -> browser.present("#notice"));
    }

    /** Imports a self-signed leaf that no managed certificate has as a version; its page's path. */
    private String unmanagedLeaf() {
        KeyPair keys = KeyType.EC_P256.generate();
        String cn = "unmanaged-" + run + ".example.test";
        var now = clock.instant();
        CertificateSpec spec = new CertificateSpec("CN=" + cn + ",O=Certplane Tests", keys.getPublic(),
                Serials.random(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false, null,
                Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(cn), List.of(),
                null, null, null);
        String pem = Pem.encodeCertificate(CertificateSigner.sign(spec, null, keys.getPrivate()));
        Response imported = api.multipart("/api/certificates/import", List.of(Part.file(cn + ".pem",
                pem.getBytes(StandardCharsets.US_ASCII)), Part.field("organization", "unmanaged-" + run)), ADMIN);
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode found = api.get("/api/certificates?q=" + cn, ADMIN).json().get("items");
        assertThat(found).hasSize(1);
        return "/certificates/" + found.get(0).get("id").asString();
    }
}
