package dev.certplane.security;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.IntegrationTestConfig;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A streamed response completes in an asynchronous dispatch after the controller returned; an API token must
 * still be the caller there, or the authorization filter refuses the response half-way and the client sees a
 * broken chunked body.
 */
@CertplaneIT
class ApiTokenStreamingIT {

    private static final String ADMIN = basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Test
    void anApiTokenDownloadsTheStreamedCsvExport() {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        Response created = api.send("POST", "/api/api-tokens",
                "{\"name\":\"export\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        String token = created.json().get("secret").asString();

        Response export = api.get("/api/certificates/export", bearer(token));

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.body()).startsWith("id,subject_cn,subject,");
        assertThat(export.body()).endsWith("\r\n");
    }
}
