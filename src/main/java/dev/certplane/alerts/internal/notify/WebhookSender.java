package dev.certplane.alerts.internal.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.net.ssl.SSLException;

import org.springframework.stereotype.Component;

/**
 * POSTs JSON to webhook and Slack channels with the JDK client: HTTP/1.1, no redirects followed, the configured
 * connect and response timeouts. 2xx is delivered; 408, 429, 5xx and network errors may pass, other answers will
 * not.
 */
@Component
class WebhookSender {

    private final HttpClient http;
    private final NotificationSettings settings;

    WebhookSender(NotificationSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @param endpoint how the URL is named in messages (scheme, host and port), since the URL may hold a secret
     */
    void post(String url, String endpoint, String body, Map<String, String> headers) throws DeliveryFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "Certplane")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryFailure("connecting to " + endpoint + " timed out after " + settings.timeout().toSeconds()
                    + " s", true, 0);
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure(endpoint + " did not answer within " + settings.timeout().toSeconds() + " s",
                    true, 0);
        } catch (ConnectException e) {
            throw new DeliveryFailure("cannot connect to " + endpoint + ": connection refused or unreachable", true, 0);
        } catch (SSLException e) {
            throw new DeliveryFailure("TLS with " + endpoint + " failed: " + DeliveryFailure.snippet(
                    String.valueOf(e.getMessage())), true, 0);
        } catch (IOException e) {
            throw new DeliveryFailure("sending to " + endpoint + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + DeliveryFailure.snippet(e.getMessage().replace(url, endpoint))),
                    true, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("sending to " + endpoint + " was interrupted", true, 0);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String said = DeliveryFailure.snippet(response.body() == null ? "" : response.body());
        String message = endpoint + " answered HTTP " + status + (said.isEmpty() ? "" : ": " + said);
        if (status >= 300 && status < 400) {
            throw new DeliveryFailure(message + " (redirects are not followed; use the final URL)", false, status);
        }
        throw new DeliveryFailure(message, status == 408 || status == 429 || status >= 500, status);
    }
}
