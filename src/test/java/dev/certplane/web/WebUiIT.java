package dev.certplane.web;

import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * The operator UI in Debian's headless Chromium, one browser for the class: log in, the dashboard against the
 * stats API, inventory search, filters and detail, certificate tokens, audit search, what a user without a
 * permission sees and may do, first-login password change, and the phone width. Every page is photographed into
 * target/screenshots/.
 */
@AcmeIT
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {

    private static final String PASSWORD = IntegrationTestConfig.ADMIN_PASSWORD;

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    Browser browser;
    ApiClient api;
    /** Makes this run's names unique in the shared context and database. */
    final String run = "ui" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start() {
        browser = new Browser(port);
        api = new ApiClient(port, certplane.caBundleFile());
        importTestCertificates();
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
    void theDashboardShowsTheNumbersOfTheStatsApi() {
        String[] cards = {"total", "valid", "expiring-soon", "expiring", "expired", "hosts"};
        String[] fields = {"total", "valid", "expiringSoon", "expiring", "expired", "hostsWithExpiring"};
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            browser.open("/");
            JsonNode stats = api.get("/api/certificates/stats", ADMIN).json();
            for (int i = 0; i < cards.length; i++) {
                assertThat(browser.find("#card-" + cards[i] + " [data-test=count]").getText())
                        .as(cards[i]).isEqualTo(String.valueOf(stats.get(fields[i]).asLong()));
            }
            assertThat(browser.find("#recent-events").getText()).contains("auth.login");
        });
        assertThat(browser.find("#card-expiring").getAttribute("href")).endsWith("/certificates?status=expiring");
        assertThat(browser.find("#health-bar").getText()).endsWith("%");
        assertThat(browser.driver().findElements(By.cssSelector("#expiry-timeline rect.bucket"))).hasSize(13);
        browser.screenshot("dashboard");

        browser.find("#card-expiring").click();
        browser.waiting().until(ExpectedConditions.urlContains("/certificates?status=expiring"));
        assertThat(browser.find("#status-expiring").isSelected()).isTrue();
        assertThat(rows()).allSatisfy(row -> assertThat(row.getText()).contains("expiring"));
    }

    @Test
    void searchFiltersPaginationDetailAndExport() throws Exception {
        browser.open("/certificates");
        browser.find("#q").sendKeys(run);
        // The search waits 300 ms after typing stops, then replaces the results without a page load.
        browser.waiting().until(d -> browser.find("[data-test=showing]").getText().equals("Showing 1–5 of 5"));
        assertThat(browser.find("[data-test=pages]").getText()).isEqualTo("Page 1 of 1");
        assertThat(browser.driver().getCurrentUrl()).contains("q=" + run);
        assertThat(browser.find("#certificates").getText()).contains("root CA");
        browser.screenshot("inventory");

        browser.find("#leafOnly").click();
        awaitShowing("Showing 1–4 of 4");
        browser.find("#status-expiring").click();
        awaitShowing("Showing 1–1 of 1");
        assertThat(rows()).singleElement().satisfies(row -> assertThat(row.getText()).contains(run + "-soon"));
        browser.find("#status-expiring").click();
        // Wait for the unfiltered answer: the old page shows the awaited count of the next filter too.
        awaitShowing("Showing 1–4 of 4");
        browser.find("#organization").sendKeys(run + "-elsewhere");
        awaitShowing("Showing 1–1 of 1");
        assertThat(rows()).singleElement().satisfies(row -> assertThat(row.getText()).contains(run + "-other"));
        browser.find("#organization").clear();
        browser.find("#source").sendKeys("discovered");
        awaitShowing("Showing 0 of 0");

        browser.open("/certificates?leafOnly=true&q=" + run);
        String exportUrl = browser.find("#export-link").getAttribute("href");
        HttpResponse<String> csv = api.http().send(HttpRequest.newBuilder(URI.create(exportUrl))
                .header("Cookie", browser.sessionCookie()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines().count()).as(csv.body()).isEqualTo(5);
        assertThat(csv.body()).contains(run + "-valid");
        assertThat(csv.body().lines().skip(1)).as("leaves only").allSatisfy(line -> assertThat(line).contains(",false,imported,"));

        browser.click(browser.driver().findElement(By.linkText(run + "-valid.example.test")));
        browser.waiting().until(d -> browser.present("#detail-panel"));
        assertThat(browser.find("#sans").getText()).contains(run + "-valid.example.test", "127.0.0.1");
        assertThat(browser.find("#chain").getText()).contains(run + " UI Root");
        String pem = browser.find("#pem-download").getAttribute("href");
        HttpResponse<String> download = api.http().send(HttpRequest.newBuilder(URI.create(pem))
                .header("Cookie", browser.sessionCookie()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.body()).startsWith("-----BEGIN CERTIFICATE-----");
        browser.screenshot("inventory-detail");

        browser.open("/certificates/import");
        browser.screenshot("inventory-import");
        browser.find("form[enctype] button[type=submit]").click();
        // The browser refuses an empty required file field itself; the page stays on the form.
        assertThat(browser.driver().getCurrentUrl()).endsWith("/certificates/import");
    }

    @Test
    void aTokenIsCreatedWithItsKeyShownOnceThenRevoked() {
        String managedId = new DeliveryApi(api).managedCertificate("web " + run, "edge",
                List.of("web." + run + ".edge.test"));
        browser.open("/tokens");
        browser.find("#create-token button[type=submit]").click();
        awaitText("#form-error", "choose the managed certificate the token is for");

        new Select(browser.find("#managedCertificateId")).selectByValue(managedId);
        browser.find("#name").sendKeys("nginx " + run);
        browser.find("#expiresInDays").sendKeys("0");
        browser.find("#create-token button[type=submit]").click();
        // The page is replaced by the answer: wait for the new error rather than read the old page's.
        awaitText("#form-error", "expires in (days) must be a whole number from 1 to 3650, or empty");
        browser.find("#expiresInDays").clear();
        browser.find("#create-token button[type=submit]").click();

        String keyId = browser.find("#key-id").getAttribute("value");
        String hmac = browser.find("#hmac-key").getAttribute("value");
        assertThat(keyId).startsWith("cpt_");
        assertThat(hmac).hasSize(43);
        assertThat(browser.find("#snippet-certbot").getText()).contains("--eab-kid " + keyId, "--eab-hmac-key " + hmac,
                "-d web." + run + ".edge.test", "/acme/edge/directory");
        for (String client : List.of("lego", "acmesh", "caddy", "modmd", "haproxy", "winacme", "certmanager")) {
            assertThat(browser.find("#snippet-" + client).getText()).as(client).contains(keyId).contains(hmac);
        }
        browser.screenshot("token-created");

        browser.open("/tokens");
        assertThat(browser.driver().getPageSource()).doesNotContain(hmac);
        WebElement row = tokenRow(keyId);
        assertThat(row.findElement(By.cssSelector("[data-test=state]")).getText()).isEqualTo("active");
        browser.screenshot("tokens");
        browser.click(row.findElement(By.cssSelector("button.btn-outline-danger")));
        browser.driver().switchTo().alert().accept();
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText()).contains(keyId, "revoked");
        assertThat(tokenRow(keyId).findElement(By.cssSelector("[data-test=state]")).getText()).isEqualTo("revoked");
        JsonNode tokens = api.get("/api/certificate-tokens?managedCertificateId=" + managedId, ADMIN).json();
        assertThat(tokens.get(0).get("state").asString()).isEqualTo("revoked");

        browser.open("/managed-certificates/" + managedId);
        assertThat(browser.find("main").getText()).contains("web." + run + ".edge.test", keyId, "Not issued yet.");
        browser.screenshot("managed-certificate");
        browser.open("/acme-server/profiles");
        assertThat(browser.find("#profiles").getText()).contains("edge", "token", "/acme/edge/directory");
        browser.screenshot("acme-profiles");
        browser.open("/acme-client/issuers");
        assertThat(browser.find("#presets").getText()).contains("Let's Encrypt", "Google Trust Services");
        browser.screenshot("acme-issuers");
    }

    @Test
    void anAcmeWorkflowShowsWhereItStandsAndItsTimeline() throws Exception {
        // Certplane's own ACME server stands in for the external CA: its authorizations are valid at once.
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        JsonNode issuer = api.send("POST", "/api/acme/issuers", json.writeValueAsString(java.util.Map.of("name",
                "self-" + run, "preset", "custom", "directoryUrl", "https://localhost:" + port + "/acme/default/directory",
                "trustBundlePem", java.nio.file.Files.readString(certplane.caBundleFile()))), ADMIN).json();
        JsonNode provider = api.send("POST", "/api/acme/dns-providers", json.writeValueAsString(java.util.Map.of(
                "name", "dns-" + run, "type", "rfc2136", "server", "127.0.0.1:1", "tsigKeyName", "k",
                "tsigSecret", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0")), ADMIN).json();
        String managed = new DeliveryApi(api).managedCertificate("wf-" + run, "default",
                java.util.List.of("wf-" + run + ".example.test"));
        JsonNode started = api.send("POST", "/api/acme/workflows", json.writeValueAsString(java.util.Map.of("issuerId",
                issuer.get("id").asString(), "managedCertificateId", managed, "dnsProviderId",
                provider.get("id").asString())), ADMIN).json();
        String id = started.get("id").asString();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> api.get(
                "/api/acme/workflows/" + id, ADMIN).json().at("/workflow/status").asString().equals("succeeded"));

        browser.open("/acme-client/workflows");
        assertThat(browser.find("#workflows").getText()).contains("wf-" + run + ".example.test", "self-" + run,
                "succeeded");
        browser.screenshot("acme-workflows");
        browser.open(java.net.URI.create(browser.find("#workflows a[href$='" + id + "']").getAttribute("href")).getPath());
        browser.waiting().until(d -> browser.present("#timeline"));
        assertThat(browser.find("#workflow-status").getText()).isEqualTo("succeeded");
        assertThat(browser.find("#timeline").getText()).contains("order created", "validated", "finalized",
                "downloaded", "version 1 of the managed certificate");
        browser.screenshot("acme-workflow");

        // The same order seen from Certplane's ACME server, which issued it.
        browser.open("/acme-server/orders");
        WebElement order = browser.driver().findElements(By.cssSelector("#orders tbody tr[data-id]")).stream()
                .filter(r -> r.getText().contains("wf-" + run + ".example.test")).findFirst().orElseThrow();
        assertThat(order.findElement(By.cssSelector("[data-test=status]")).getText()).isEqualTo("valid");
        browser.screenshot("acme-orders");
        // Followed rather than clicked: with many orders in the shared context the row can sit under the fold.
        browser.open(java.net.URI.create(order.findElement(By.tagName("a")).getAttribute("href")).getPath());
        browser.waiting().until(d -> browser.present("#timeline"));
        assertThat(browser.find("#order-status").getText()).isEqualTo("valid");
        assertThat(browser.find("#timeline").getText()).contains("order created",
                "authorization dns wf-" + run + ".example.test: valid", "finalize", "issued", "serial ");
        String account = browser.find("#order-account").getText();
        browser.screenshot("acme-order");
        browser.open("/acme-server/orders");
        browser.find("#acme-server-tabs").findElement(By.linkText("Accounts")).click();
        browser.waiting().until(d -> browser.present("#accounts"));
        WebElement accountRow = browser.find("#accounts tr[data-id='" + account + "']");
        assertThat(Long.parseLong(accountRow.findElement(By.cssSelector("[data-test=orders]")).getText())).isPositive();
        browser.screenshot("acme-accounts");
    }

    @Test
    void dnsProvidersAreListedWithoutSecretsAndTheFormShowsTheServiceErrors() {
        String secret = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" + "YWJj";
        browser.open("/acme-client/dns-providers");
        browser.find("#name").sendKeys("ns-" + run);
        browser.find("#server").sendKeys("10.0.0.53:53");
        browser.find("#tsigKeyName").sendKeys("acme-update");
        browser.find("#tsigSecret").sendKeys("not base64!");
        addProvider("#form-error");
        assertThat(browser.find("#form-error").getText()).isEqualTo("tsigSecret is not base64");
        assertThat(browser.find("#tsigSecret").getAttribute("value")).as("secrets are not echoed").isEmpty();
        assertThat(browser.find("#server").getAttribute("value")).isEqualTo("10.0.0.53:53");
        browser.find("#tsigSecret").sendKeys(secret);
        addProvider("#notice");
        assertThat(browser.find("#notice").getText()).contains("ns-" + run, "rfc2136");
        assertThat(browser.find("#dns-providers").getText()).contains("ns-" + run,
                "10.0.0.53:53 (key acme-update, hmac-sha256)");
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);

        browser.find("#name").sendKeys("cf-" + run);
        new Select(browser.find("#type")).selectByValue("cloudflare");
        browser.find("#apiToken").sendKeys("token-" + run);
        browser.find("#zoneId").sendKeys("not-a-zone");
        addProvider("#form-error");
        assertThat(browser.find("#form-error").getText()).isEqualTo("zoneId 'not-a-zone' is not a Cloudflare zone id:"
                + " 32 hexadecimal digits, as the zone's overview page shows");
        assertThat(browser.driver().getPageSource()).doesNotContain("token-" + run);
        browser.screenshot("acme-dns-providers");
        List<String> names = new ArrayList<>();
        api.get("/api/acme/dns-providers", ADMIN).json().forEach(p -> names.add(p.get("name").asString()));
        assertThat(names).contains("ns-" + run).doesNotContain("cf-" + run);
    }

    @Test
    void aProbeTargetShowsItsLatestStateAndIsProbedOnRequest() {
        String target = probeTarget("probe." + run + ".edge.test");
        browser.open("/probes");
        WebElement row = browser.find("#probes tr[data-id='" + target + "']");
        assertThat(row.getText()).contains("127.0.0.1:" + port, "SNI probe." + run + ".edge.test", "probe " + run,
                "never");
        browser.click(row.findElement(By.tagName("a")));
        browser.waiting().until(d -> browser.present("#results"));
        assertThat(browser.find("#results").getText()).contains("Not probed yet.");
        browser.find("#probe-now button").click();
        // Certplane's own port serves its server certificate, which is no version of the managed certificate.
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText()).startsWith("Probed now: mismatch");
        assertThat(browser.find("#probe-status").getText()).isEqualTo("mismatch");
        assertThat(browser.find("#results").getText()).contains("manual", "mismatch");
        JsonNode last = api.get("/api/probes/" + target, ADMIN).json().get("lastResult");
        assertThat(browser.find("#served").getText()).contains(last.get("leafFingerprint").asString());
        browser.screenshot("probe");
        browser.open("/probes?status=mismatch");
        assertThat(browser.find("#probes tr[data-id='" + target + "'] [data-test=status]").getText())
                .startsWith("mismatch");
        browser.screenshot("probes");
        browser.open("/probes?status=broken");
        assertThat(browser.find("#filter-error").getText()).startsWith("unknown status 'broken'");
    }

    @Test
    void theAuditTrailIsFilteredExportedAndVerified() throws Exception {
        String name = "audit " + run;
        new DeliveryApi(api).managedCertificate(name, "edge", List.of("audit." + run + ".edge.test"));
        browser.open("/audit");
        browser.find("#action").sendKeys("managed-certificate.created");
        browser.find("#target").sendKeys("managed-certificate:");
        browser.find("#audit-search").click();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            browser.driver().navigate().refresh();
            assertThat(browser.find("#events").getText()).contains(run);
        });
        assertThat(browser.driver().findElements(By.cssSelector("#events tbody tr")))
                .allSatisfy(r -> assertThat(r.getText()).contains("managed-certificate.created"));
        browser.waiting().until(d -> browser.present("#chain-status"));
        assertThat(browser.find("#chain-status").getText()).startsWith("Chain intact");
        browser.screenshot("audit");

        String export = browser.find("#audit-export").getAttribute("href");
        HttpResponse<String> csv = api.http().send(HttpRequest.newBuilder(URI.create(export))
                .header("Cookie", browser.sessionCookie()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.body().lines().skip(1)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("\"managed-certificate.created\""));

        browser.open("/audit?from=yesterday");
        assertThat(browser.find("#filter-error").getText())
                .isEqualTo("'from' must be a date and time such as 2026-01-31T13:45");
    }

    @Test
    void aViewerChoosesAPasswordFirstAndSeesNoActionItMayNotTake() {
        String viewer = "viewer-" + run;
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + viewer
                + "\",\"password\":\"first-password-" + run + "\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        browser.logIn(viewer, "first-password-" + run);
        assertThat(browser.driver().getCurrentUrl()).endsWith("/account/password");
        browser.open("/certificates");
        assertThat(browser.driver().getCurrentUrl()).as("held on the password page").endsWith("/account/password");
        browser.find("#current").sendKeys("first-password-" + run);
        browser.find("#password").sendKeys("second-password-" + run);
        browser.find("#confirm").sendKeys("something else");
        browser.find("main button[type=submit]").click();
        assertThat(browser.find("#password-error").getText()).isEqualTo("the new password and its confirmation differ");
        browser.screenshot("password-change");
        browser.find("#current").sendKeys("first-password-" + run);
        browser.find("#password").sendKeys("second-password-" + run);
        browser.find("#confirm").sendKeys("second-password-" + run);
        browser.find("main button[type=submit]").click();
        browser.waiting().until(d -> browser.present("#notice"));
        assertThat(browser.find("#notice").getText()).isEqualTo("Your password was changed.");

        String nav = browser.find("#main-nav").getText();
        assertThat(nav).contains("Dashboard", "Inventory", "Probes").doesNotContain("Certificate tokens", "Audit", "ACME");
        String target = probeTarget("viewer." + run + ".edge.test");
        browser.open("/probes/" + target);
        assertThat(browser.find("h1").getText()).contains("viewer." + run);
        assertThat(browser.present("#probe-now")).isFalse();
        assertThat(postAs("/probes/" + target + "/probe", "x=1")).isEqualTo(403);
        browser.open("/acme-server/orders");
        assertThat(browser.find("h1").getText()).startsWith("403");
        browser.open("/certificates");
        assertThat(browser.present("#import-link")).isFalse();
        browser.open("/tokens");
        assertThat(browser.find("h1").getText()).startsWith("403");
        browser.screenshot("forbidden");
        browser.open("/");
        assertThat(postAs("/tokens", "managedCertificateId=x&name=x")).isEqualTo(403);
        assertThat(postAs("/certificates/import", "organization=x")).isEqualTo(403);

        browser.logIn("admin", PASSWORD);
        browser.open("/");
        assertThat(postAs("/tokens", "managedCertificateId=&name=")).as("the same POST with the permission").isEqualTo(400);

        browser.find("#user-menu").click();
        browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("logout"))).click();
        browser.waiting().until(ExpectedConditions.urlContains("/login?logout"));
        assertThat(browser.find("[role=status]").getText()).isEqualTo("You have logged out.");
        browser.screenshot("login");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get(
                "/api/audit?action=user.password-changed&target=user:" + viewer, ADMIN).json().get("total").asLong())
                .isEqualTo(1));
    }

    @Test
    void everyPageFitsAPhoneWithoutHorizontalScrolling() {
        browser.size(Browser.PHONE);
        for (String page : List.of("/", "/certificates?q=" + run, "/tokens", "/audit", "/acme-server/profiles",
                "/acme-server/orders", "/acme-server/accounts", "/acme-client/issuers", "/acme-client/dns-providers",
                "/probes", "/renewal/policies", "/renewal/policies/new", "/renewal/changes", "/renewal/sweeps",
                "/certificates/import", "/account/password")) {
            browser.open(page);
            long overflow = (Long) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as(page + " overflows by " + overflow + " px").isLessThanOrEqualTo(0);
            browser.screenshot("phone" + (page.equals("/") ? "-dashboard"
                    : page.replaceAll("\\?.*", "").replaceAll("[^a-z]+", "-")));
        }
        browser.open("/");
        assertThat(browser.find("#main-nav").isDisplayed()).as("the menu is folded").isFalse();
        browser.find(".navbar-toggler").click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.linkText("Inventory")));
    }

    /**
     * Submits the DNS provider form as Enter in its name field does (the button is below the window's fold), and
     * waits for the answer, which has {@code expected}.
     */
    private void addProvider(String expected) {
        browser.find("#name").sendKeys(Keys.ENTER);
        browser.waiting().until(d -> browser.present(expected));
    }

    /** A probe target at this application's own TLS port, probed only when asked; its id. */
    private String probeTarget(String sni) {
        String managed = new DeliveryApi(api).managedCertificate("probe " + run + " " + sni, "edge", List.of(sni));
        Response created = api.send("POST", "/api/probes", "{\"host\":\"127.0.0.1\",\"port\":" + port
                + ",\"sni\":\"" + sni + "\",\"managedCertificateId\":\"" + managed + "\"}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
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

    private void awaitText(String css, String text) {
        browser.waiting().until(d -> browser.present(css) && browser.find(css).getText().equals(text));
    }

    private void awaitShowing(String text) {
        browser.waiting().until(d -> browser.find("[data-test=showing]").getText().equals(text));
    }

    private List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#certificates tbody tr[data-id]"));
    }

    private WebElement tokenRow(String keyId) {
        return browser.find("#tokens tr[data-key-id='" + keyId + "']");
    }

    /**
     * A root and four leaves whose names start with this run's prefix (the inventory searches prefixes): valid
     * (200 days left), expiring (5 days), expired, and one expiring soon (20 days) in another organization.
     */
    private void importTestCertificates() {
        Instant now = clock.instant();
        KeyPair rootKeys = KeyType.EC_P256.generate();
        X509Certificate root = CertificateSigner.sign(new CertificateSpec("CN=" + run + " UI Root,O=Certplane Tests",
                rootKeys.getPublic(), Serials.random(), now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(3650)),
                true, null, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN), List.of(), List.of(), List.of(),
                null, null, null), null, rootKeys.getPrivate());
        StringBuilder pems = new StringBuilder(Pem.encodeCertificate(root));
        pems.append(leaf(run + "-valid", root, rootKeys, now, 200));
        pems.append(leaf(run + "-soon", root, rootKeys, now, 5));
        pems.append(leaf(run + "-expired", root, rootKeys, now, -3));
        importPem(pems.toString(), run + "-home");
        importPem(leaf(run + "-other", root, rootKeys, now, 20), run + "-elsewhere");
    }

    private void importPem(String pem, String organization) {
        Response imported = api.multipart("/api/certificates/import",
                List.of(Part.file(organization + ".pem", pem.getBytes(StandardCharsets.US_ASCII)),
                        Part.field("organization", organization)), ADMIN);
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    }

    private static String leaf(String name, X509Certificate root, KeyPair rootKeys, Instant now, int days) {
        KeyPair keys = KeyType.EC_P256.generate();
        CertificateSpec spec = new CertificateSpec("CN=" + name + ".example.test,O=Certplane Tests", keys.getPublic(),
                Serials.random(), now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(days)), false, null,
                Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH),
                List.of(name + ".example.test"), List.of("127.0.0.1"), null, null, null);
        return Pem.encodeCertificate(CertificateSigner.sign(spec, root, rootKeys.getPrivate()));
    }
}
