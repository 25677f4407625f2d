package dev.certplane.alerts.internal.http;

import java.time.Instant;
import java.util.List;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.internal.notify.ChannelInput;
import dev.certplane.alerts.internal.notify.NotificationChannel;
import dev.certplane.alerts.internal.notify.NotificationChannels;
import dev.certplane.alerts.internal.notify.NotificationChannels.Delivery;
import dev.certplane.alerts.internal.notify.NotificationChannels.NameTakenException;
import dev.certplane.alerts.internal.notify.NotificationChannels.TestResult;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Alert notification channels over the operator API. Reading takes certificates.view, like the alerts themselves;
 * creating, changing, deleting and testing take admin, since a channel decides where alert data goes. Secrets are
 * write-only: responses only say whether each is set.
 */
@RestController
@Tag(name = "Notification channels")
@PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
class NotificationChannelController {

    private static final String ADMIN = "hasAuthority('" + Permissions.ADMIN + "')";

    private final NotificationChannels channels;

    NotificationChannelController(NotificationChannels channels) {
        this.channels = channels;
    }

    @Schema(description = "A notification channel. webhook and slack take url (and webhook signingSecret); email "
            + "takes host, port, security, username, password, from and to. On PUT, url, signingSecret and password "
            + "left out keep their values; an empty signingSecret or password removes it.")
    record ChannelBody(@Size(max = 100) @Nullable String name,
            @Schema(allowableValues = {"webhook", "slack", "email"}) @Size(max = 32) @Nullable String type,
            @Schema(description = "true when left out") @Nullable Boolean enabled,
            @Schema(allowableValues = {"info", "warning", "high", "critical"}, description = "info when left out")
            @Size(max = 32) @Nullable String minSeverity,
            @Schema(description = "alert kinds to send, such as certificate_expiry; every kind when empty")
            @Nullable List<@Size(max = 64) String> kinds,
            @Schema(description = "webhook, slack: the URL to POST to (write-only)") @Size(max = 2000) @Nullable String url,
            @Schema(description = "webhook: HMAC-SHA256 key for X-Certplane-Signature (write-only)")
            @Size(max = 200) @Nullable String signingSecret,
            @Size(max = 253) @Nullable String host, @Nullable Integer port,
            @Schema(allowableValues = {"none", "starttls", "tls"}, description = "starttls when left out")
            @Size(max = 16) @Nullable String security,
            @Size(max = 200) @Nullable String username,
            @Schema(description = "email: SMTP password (write-only)") @Size(max = 500) @Nullable String password,
            @Size(max = 254) @Nullable String from, @Nullable List<@Size(max = 254) String> to) {

        ChannelInput input() {
            return new ChannelInput(name, type, enabled, minSeverity, kinds, url, signingSecret, host, port, security,
                    username, password, from, to);
        }
    }

    record ChannelView(String id, String name, String type, boolean enabled, String minSeverity, List<String> kinds,
            @Schema(description = "webhook, slack: scheme, host and port of the URL; the rest is not shown")
            @Nullable String endpoint, @Nullable Boolean urlSet, @Nullable Boolean signingSecretSet,
            @Nullable String host, @Nullable Integer port, @Nullable String security, @Nullable String username,
            @Nullable Boolean passwordSet, @Nullable String from, @Nullable List<String> to, Instant createdAt,
            Instant updatedAt) {
    }

    record DeliveryAlert(String id, String kind, String severity, String target, String title) {
    }

    record DeliveryView(String id, String event, String state, int attempts, @Nullable Instant nextAttemptAt,
            @Nullable String lastError, Instant createdAt, @Nullable Instant finishedAt, DeliveryAlert alert) {
    }

    record TestView(boolean delivered) {
    }

    @GetMapping("/api/notification-channels")
    @Operation(summary = "List alert notification channels (secrets are never shown)")
    List<ChannelView> list() {
        return channels.list().stream().map(NotificationChannelController::view).toList();
    }

    @GetMapping("/api/notification-channels/{id}")
    @Operation(summary = "One notification channel")
    ChannelView get(@PathVariable String id) {
        return channels.find(id).map(NotificationChannelController::view).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/api/notification-channels")
    @PreAuthorize(ADMIN)
    @Operation(summary = "Add a notification channel (webhook, slack or email)")
    ResponseEntity<ChannelView> create(@Valid @RequestBody ChannelBody body) {
        NotificationChannel created;
        try {
            created = channels.create(body.input());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (NameTakenException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/api/notification-channels/" + created.id()).body(view(created));
    }

    @PutMapping("/api/notification-channels/{id}")
    @PreAuthorize(ADMIN)
    @Operation(summary = "Replace a channel's settings; secrets left out are kept, the type cannot change")
    ChannelView update(@PathVariable String id, @Valid @RequestBody ChannelBody body) {
        try {
            return channels.update(id, body.input()).map(NotificationChannelController::view)
                    .orElseThrow(() -> notFound(id));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (NameTakenException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @DeleteMapping("/api/notification-channels/{id}")
    @PreAuthorize(ADMIN)
    @Operation(summary = "Remove a channel with its delivery history; notifications not yet sent are dropped")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!channels.delete(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/notification-channels/{id}/test")
    @PreAuthorize(ADMIN)
    @Operation(summary = "Send a test notification now and say whether it arrived",
            description = "Sent whether the channel is enabled or not and whatever its filters. Not recorded in the "
                    + "delivery history, but audited.")
    @ApiResponse(responseCode = "200", description = "delivered")
    @ApiResponse(responseCode = "502", description = "not delivered: the detail says what the remote answered "
            + "(remoteStatus: its HTTP status or SMTP reply code) or why it could not be reached")
    ResponseEntity<?> test(@PathVariable String id) {
        TestResult result = channels.test(id).orElseThrow(() -> notFound(id));
        if (result.delivered()) {
            return ResponseEntity.ok(new TestView(true));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "the test notification was not delivered: " + result.error());
        problem.setProperty("delivered", false);
        if (result.remoteStatus() > 0) {
            problem.setProperty("remoteStatus", result.remoteStatus());
        }
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @GetMapping("/api/notification-channels/{id}/deliveries")
    @Operation(summary = "The channel's notifications, newest first: pending, sent or failed, with the last error")
    List<DeliveryView> deliveries(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
        try {
            return channels.deliveries(id, limit).orElseThrow(() -> notFound(id)).stream()
                    .map(NotificationChannelController::view).toList();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static ChannelView view(NotificationChannel c) {
        boolean email = c.email() != null;
        boolean url = !email;
        return new ChannelView(c.id(), c.name(), c.type(), c.enabled(), c.minSeverity().wire(), c.kinds(),
                c.endpoint(), url ? c.urlSet() : null, c.type().equals("webhook") ? c.signingSecretSet() : null,
                email ? c.email().host() : null, email ? c.email().port() : null,
                email ? c.email().security() : null, email ? c.email().username() : null,
                email ? c.passwordSet() : null, email ? c.email().from() : null, email ? c.email().to() : null,
                c.createdAt(), c.updatedAt());
    }

    private static DeliveryView view(Delivery d) {
        Alert a = d.alert();
        return new DeliveryView(d.id(), d.event(), d.state(), d.attempts(), d.nextAttemptAt(), d.lastError(),
                d.createdAt(), d.finishedAt(), new DeliveryAlert(a.id(), a.kind(), a.severity().wire(), a.target(),
                        a.title()));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no notification channel '" + id + "'");
    }
}
