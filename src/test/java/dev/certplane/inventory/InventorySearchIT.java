package dev.certplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import dev.certplane.pki.KeyType;
import dev.certplane.pki.Providers;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * The list's query shapes on both databases: a page reads its ids in the sort order first and then the rows, and a
 * search by text alone is counted in the terms index. Totals, order across pages, pages past the end.
 */
@CertplaneIT
class InventorySearchIT {

    private static final int COUNT = 13;

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    Inventory inventory;

    @Autowired
    MutableClock clock;

    ApiClient api;

    @BeforeEach
    void record() throws Exception {
        api = new ApiClient(port, certplane.caBundleFile());
        if (inventory.search(textOnly("search-it.example"), 0, 1).total() > 0) {
            return;
        }
        KeyPair keys = KeyType.EC_P256.generate();
        for (int i = 0; i < COUNT; i++) {
            // Recorded out of expiry order, so that the pages must sort.
            int days = 40 + (i * 5) % COUNT;
            String name = i == 0 ? "www.qzshop.search-it.example" : "host" + i + ".search-it.example";
            inventory.record(List.of(certificate(keys, name, i, clock.instant().plus(Duration.ofDays(days)))),
                    "imported", "import:search-it", null);
        }
    }

    @Test
    void pagesFollowTheSortOrderAndCountEveryMatch() {
        JsonNode first = list("q=search-it.example&size=5&page=0");
        JsonNode third = list("q=search-it.example&size=5&page=2");
        JsonNode beyond = list("q=search-it.example&size=5&page=3");
        JsonNode descending = list("q=search-it.example&size=5&page=0&order=desc");

        assertThat(first.get("total").asLong()).isEqualTo(COUNT);
        assertThat(first.get("pages").asInt()).isEqualTo(3);
        assertThat(notAfters(first)).hasSize(5).isSorted();
        assertThat(notAfters(third)).hasSize(3).isSorted();
        assertThat(notAfters(first).get(4)).isBefore(notAfters(third).get(0));
        assertThat(beyond.get("items").isEmpty()).isTrue();
        assertThat(beyond.get("total").asLong()).isEqualTo(COUNT);
        assertThat(notAfters(descending).get(0)).isEqualTo(notAfters(third).get(2));
    }

    @Test
    void aTextSearchCountsCertificatesNotTerms() {
        // The first certificate's terms qzshop.search-it.example and qzshop-admin.search-it.example both start with
        // "qzshop" (a prefix no other test uses): one certificate.
        assertThat(list("q=qzshop&size=5").get("total").asLong()).isEqualTo(1);
        assertThat(list("q=qzshop&size=5").get("items")).hasSize(1);
        assertThat(list("q=search-it.example&size=5").get("total").asLong()).isEqualTo(COUNT);
        assertThat(list("q=search-it.example&status=valid&size=5").get("total").asLong()).isEqualTo(COUNT);
        assertThat(list("q=search-it.example&leafOnly=true&size=50").get("items")).hasSize(COUNT);
        assertThat(list("q=no-such-name.example&size=5").get("total").asLong()).isZero();
    }

    private JsonNode list(String query) {
        ApiClient.Response response = api.get("/api/certificates?" + query, DeliveryApi.ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<Instant> notAfters(JsonNode page) {
        return page.get("items").valueStream().map(item -> Instant.parse(item.get("notAfter").asString())).toList();
    }

    private static CertificateQuery textOnly(String text) {
        return new CertificateQuery(text, Set.of(), null, false, null, null, null, null, "notAfter", false);
    }

    private static X509Certificate certificate(KeyPair keys, String name, int serial, Instant notAfter)
            throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(1000 + serial),
                Date.from(notAfter.minus(Duration.ofDays(90))), Date.from(notAfter), subject, keys.getPublic());
        GeneralName[] names = serial == 0
                ? new GeneralName[] {new GeneralName(GeneralName.dNSName, name),
                        new GeneralName(GeneralName.dNSName, "qzshop-admin.search-it.example")}
                : new GeneralName[] {new GeneralName(GeneralName.dNSName, name)};
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        return new JcaX509CertificateConverter().getCertificate(builder
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.BC).build(keys.getPrivate())));
    }
}
