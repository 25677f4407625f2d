package dev.certplane.acme.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import dev.certplane.support.FakeCloudflare;
import dev.certplane.support.FakeCloudflare.Call;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** The Cloudflare client against a local server speaking Cloudflare's API v4 wire format, and its failures. */
class CloudflareDnsTest {

    static final String TOKEN = "Yc8zW1l6bqKx3RkT0pQ9aVdE2nHfGu4sJm7oLi5B";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String NAME = "_acme-challenge.www.example.com";

    final FakeCloudflare cloudflare = new FakeCloudflare(TOKEN, List.of("example.com", "example.org"));

    @AfterEach
    void stop() {
        cloudflare.close();
    }

    @Test
    void publishFindsTheZoneByWalkingUpTheNameAndCreatesAQuotedTxtRecordWithTheToken() throws DnsException {
        String done = client(TOKEN, null).publish(NAME, "digest-1");

        assertThat(cloudflare.calls()).extracting(c -> c.method() + " " + c.path() + "?" + c.query()).containsExactly(
                "GET /client/v4/zones?name=_acme-challenge.www.example.com",
                "GET /client/v4/zones?name=www.example.com",
                "GET /client/v4/zones?name=example.com",
                "GET /client/v4/zones/" + zone() + "/dns_records?type=TXT&name=_acme-challenge.www.example.com&per_page=100",
                "POST /client/v4/zones/" + zone() + "/dns_records?");
        assertThat(cloudflare.calls()).extracting(Call::authorization).containsOnly("Bearer " + TOKEN);
        Call create = cloudflare.calls().get(4);
        assertThat(JSON.readTree(create.body()).path("type").asString()).isEqualTo("TXT");
        assertThat(JSON.readTree(create.body()).path("content").asString()).isEqualTo("\"digest-1\"");
        assertThat(JSON.readTree(create.body()).path("ttl").asInt()).isEqualTo(120);
        assertThat(cloudflare.records()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(NAME);
            assertThat(r.content()).isEqualTo("\"digest-1\"");
        });
        assertThat(done).isEqualTo("published in Cloudflare zone example.com as record "
                + cloudflare.records().get(0).id());
    }

    @Test
    void publishingTwiceCreatesOneRecord() throws DnsException {
        CloudflareDns client = client(TOKEN, null);
        client.publish(NAME, "digest-1");

        String again = client.publish(NAME, "digest-1");

        assertThat(again).isEqualTo("published in Cloudflare zone example.com (the record was there already)");
        assertThat(cloudflare.records()).hasSize(1);
        assertThat(cloudflare.calls()).filteredOn(c -> c.method().equals("POST")).hasSize(1);
    }

    @Test
    void removeDeletesOnlyTheRecordWithTheValueAndLeavesTheOtherOfTheName() throws DnsException {
        CloudflareDns client = client(TOKEN, null);
        client.publish(NAME, "for-the-base-name");
        client.publish(NAME, "for-the-wildcard");
        String id = cloudflare.records().get(1).id();

        String done = client.remove(NAME, "for-the-wildcard");

        assertThat(done).isEqualTo("removed from Cloudflare zone example.com (record " + id + ")");
        assertThat(cloudflare.records()).extracting(FakeCloudflare.DnsRecord::content)
                .containsExactly("\"for-the-base-name\"");
        assertThat(cloudflare.calls()).filteredOn(c -> c.method().equals("DELETE")).extracting(Call::path)
                .containsExactly("/client/v4/zones/" + zone() + "/dns_records/" + id);
    }

    @Test
    void removingARecordThatIsGoneSaysSo() throws DnsException {
        String done = client(TOKEN, null).remove(NAME, "never-published");

        assertThat(done).isEqualTo("was not in Cloudflare zone example.com (nothing to delete)");
        assertThat(cloudflare.calls()).noneMatch(c -> c.method().equals("DELETE"));
    }

    @Test
    void aConfiguredZoneIdIsUsedWithoutLookingTheZoneUp() throws DnsException {
        String done = client(TOKEN, zone()).publish(NAME, "digest-1");

        assertThat(cloudflare.calls()).noneMatch(c -> c.path().equals("/client/v4/zones"));
        assertThat(done).startsWith("published in Cloudflare zone with id " + zone() + " as record ");
    }

    @Test
    void aWrongTokenIsAPermanentRefusalInCloudflaresWords() {
        assertThatThrownBy(() -> client("wrong-token", null).publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("Cloudflare refused looking up zone _acme-challenge.www"
                            + ".example.com (HTTP 403): Invalid access token (code 9109)")
                            .doesNotContain("wrong-token");
                });
        assertThat(cloudflare.records()).isEmpty();
    }

    @Test
    void theErrorChainIsShownAfterEachError() {
        cloudflare.failNext(400, "application/json", """
                {"success":false,"errors":[{"code":6003,"message":"Invalid request headers",
                 "error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],
                 "messages":[],"result":null}""");

        assertThatThrownBy(() -> client(TOKEN, zone()).publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.getMessage()).endsWith(
                        "(HTTP 400): Invalid request headers (code 6003); Invalid format for Authorization header"
                                + " (code 6111)"));
    }

    @Test
    void noZoneVisibleToTheTokenIsPermanentAndSaysWhichNamesWereTried() {
        assertThatThrownBy(() -> client(TOKEN, null).publish("_acme-challenge.shop.example.net", "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("no Cloudflare zone this API token can see contains"
                            + " _acme-challenge.shop.example.net (asked for [_acme-challenge.shop.example.net,"
                            + " shop.example.net, example.net, net])");
                });
    }

    @Test
    void anUnknownZoneIdIsRefusedWithCloudflaresRoutingError() {
        assertThatThrownBy(() -> client(TOKEN, "0123456789abcdef0123456789abcdef").publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).startsWith("Cloudflare refused listing TXT " + NAME + " in zone with id"
                            + " 0123456789abcdef0123456789abcdef (HTTP 404): Could not route to").contains("(code 7003)");
                });
    }

    @Test
    void aGatewayPageInsteadOfJsonIsWorthAnotherTry() {
        cloudflare.failNext(502, "text/html", "<html><head><title>502 Bad Gateway</title></head>\n<body>cloudflare"
                + "</body></html>");

        assertThatThrownBy(() -> client(TOKEN, zone()).publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("Cloudflare answered listing TXT " + NAME + " in zone with id "
                            + zone() + " with HTTP 502 and no API response: <html><head><title>502 Bad Gateway</title>"
                            + "</head> <body>cloudflare</body></html>");
                });
    }

    @Test
    void rateLimitsAndServerErrorsAreWorthAnotherTry() {
        cloudflare.failNext(429, "application/json", """
                {"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],
                 "messages":[],"result":null}""");
        cloudflare.failNext(500, "application/json", "{\"success\":false,\"errors\":[],\"messages\":[],\"result\":null}");
        CloudflareDns client = client(TOKEN, zone());

        assertThatThrownBy(() -> client.publish(NAME, "digest-1")).isInstanceOfSatisfying(DnsException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.getMessage()).endsWith("(HTTP 429): Please wait and consider throttling your request speed"
                    + " (code 971)");
        });
        assertThatThrownBy(() -> client.publish(NAME, "digest-1")).isInstanceOfSatisfying(DnsException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.getMessage()).endsWith("(HTTP 500): no error given");
        });
    }

    @Test
    void successFalseIsARefusalEvenWithStatus200() {
        cloudflare.failNext(200, "application/json", """
                {"success":false,"errors":[{"code":1004,"message":"DNS Validation Error"}],"messages":[],"result":null}""");

        assertThatThrownBy(() -> client(TOKEN, zone()).publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.getMessage())
                        .endsWith("(HTTP 200): DNS Validation Error (code 1004)"));
    }

    @Test
    void aResultThatIsNotAListIsAnError() {
        cloudflare.failNext(200, "application/json", "{\"success\":true,\"errors\":[],\"result\":{\"id\":\"x\"}}");

        assertThatThrownBy(() -> client(TOKEN, zone()).publish(NAME, "digest-1"))
                .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Cloudflare answered listing TXT " + NAME + " in zone with id " + zone()
                                + " without a list of results"));
    }

    @Test
    void anUnreachableApiIsWorthAnotherTry() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CloudflareDns client = new CloudflareDns(URI.create("http://127.0.0.1:" + closed + "/client/v4/"), TOKEN,
                zone(), CloudflareDns.HTTP, JSON);

        assertThatThrownBy(() -> client.publish(NAME, "digest-1")).isInstanceOfSatisfying(DnsException.class, e -> {
            assertThat(e.permanent()).isFalse();
            assertThat(e.getMessage()).startsWith("the Cloudflare API at http://127.0.0.1:" + closed + "/client/v4"
                    + " could not be reached while listing TXT " + NAME);
        });
    }

    private CloudflareDns client(String token, String zoneId) {
        return new CloudflareDns(URI.create(cloudflare.apiUrl()), token, zoneId, CloudflareDns.HTTP, JSON);
    }

    private String zone() {
        return cloudflare.zoneId("example.com");
    }
}
