package dev.certplane.acme.protocol;

import static dev.certplane.acme.protocol.AuthorizationStatus.DEACTIVATED;
import static dev.certplane.acme.protocol.AuthorizationStatus.EXPIRED;
import static dev.certplane.acme.protocol.AuthorizationStatus.INVALID;
import static dev.certplane.acme.protocol.AuthorizationStatus.PENDING;
import static dev.certplane.acme.protocol.AuthorizationStatus.REVOKED;
import static dev.certplane.acme.protocol.AuthorizationStatus.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import dev.certplane.acme.protocol.OrderStates.Progress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The order and authorization state machines of RFC 8555 7.1.6. */
class OrderStatesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofDays(7));
    private static final Instant EARLIER = NOW.minusSeconds(1);

    @Test
    void finalizationDecidesOnceItHasStarted() {
        for (Instant expires : List.of(LATER, NOW, EARLIER)) {
            for (List<AuthorizationStatus> authorizations : List.of(List.of(VALID), List.of(PENDING), List.of(REVOKED),
                    List.<AuthorizationStatus>of())) {
                assertThat(OrderStates.status(Progress.ISSUED, expires, authorizations, NOW)).isEqualTo(OrderStatus.VALID);
                assertThat(OrderStates.status(Progress.FAILED, expires, authorizations, NOW)).isEqualTo(OrderStatus.INVALID);
                assertThat(OrderStates.status(Progress.PROCESSING, expires, authorizations, NOW))
                        .isEqualTo(OrderStatus.PROCESSING);
            }
        }
    }

    @Test
    void beforeFinalizationTheAuthorizationsDecide() {
        assertThat(status(VALID)).isEqualTo(OrderStatus.READY);
        assertThat(status(VALID, VALID, VALID)).isEqualTo(OrderStatus.READY);
        assertThat(status(PENDING)).isEqualTo(OrderStatus.PENDING);
        assertThat(status(VALID, PENDING, VALID)).isEqualTo(OrderStatus.PENDING);
        assertThat(status()).as("an order without authorizations can never become ready").isEqualTo(OrderStatus.INVALID);
        for (AuthorizationStatus failed : List.of(INVALID, DEACTIVATED, EXPIRED, REVOKED)) {
            assertThat(status(failed)).as(failed.wire()).isEqualTo(OrderStatus.INVALID);
            assertThat(status(VALID, failed)).as(failed.wire()).isEqualTo(OrderStatus.INVALID);
            assertThat(status(PENDING, failed, PENDING)).as("a failed one wins over pending ones").isEqualTo(OrderStatus.INVALID);
        }
    }

    @Test
    void anUnfinalizedOrderIsInvalidFromItsExpiry() {
        assertThat(OrderStates.status(Progress.NONE, NOW.plusMillis(1), List.of(VALID), NOW)).isEqualTo(OrderStatus.READY);
        assertThat(OrderStates.status(Progress.NONE, NOW, List.of(VALID), NOW)).isEqualTo(OrderStatus.INVALID);
        assertThat(OrderStates.status(Progress.NONE, EARLIER, List.of(PENDING), NOW)).isEqualTo(OrderStatus.INVALID);
    }

    @Test
    void everyCombinationOfUpToThreeAuthorizationsFollowsTheRules() {
        List<List<AuthorizationStatus>> combinations = combinations(3);
        assertThat(combinations).hasSize(1 + 6 + 36 + 216);
        for (Progress progress : Progress.values()) {
            for (Instant expires : List.of(LATER, NOW, EARLIER)) {
                for (List<AuthorizationStatus> authorizations : combinations) {
                    assertThat(OrderStates.status(progress, expires, authorizations, NOW))
                            .as("%s, expires %s, %s", progress, expires, authorizations)
                            .isEqualTo(expected(progress, !NOW.isBefore(expires), authorizations));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = AuthorizationStatus.class, names = {"PENDING", "VALID"})
    void aPendingOrValidAuthorizationExpiresAtItsExpiry(AuthorizationStatus status) {
        assertThat(status.asOf(LATER, NOW)).isEqualTo(status);
        assertThat(status.asOf(NOW.plusNanos(1), NOW)).isEqualTo(status);
        assertThat(status.asOf(NOW, NOW)).isEqualTo(EXPIRED);
        assertThat(status.asOf(EARLIER, NOW)).isEqualTo(EXPIRED);
    }

    @ParameterizedTest
    @EnumSource(value = AuthorizationStatus.class, names = {"INVALID", "DEACTIVATED", "EXPIRED", "REVOKED"})
    void aFinalAuthorizationStatusStaysAsItIs(AuthorizationStatus status) {
        assertThat(status.asOf(LATER, NOW)).isEqualTo(status);
        assertThat(status.asOf(EARLIER, NOW)).isEqualTo(status);
    }

    @Test
    void anOrderWhoseAuthorizationExpiredIsInvalid() {
        List<AuthorizationStatus> asOfNow = List.of(VALID.asOf(LATER, NOW), VALID.asOf(EARLIER, NOW));

        assertThat(OrderStates.status(Progress.NONE, LATER, asOfNow, NOW)).isEqualTo(OrderStatus.INVALID);
    }

    @Test
    void statusesHaveTheirWireNames() {
        assertThat(Arrays.stream(AuthorizationStatus.values()).map(AuthorizationStatus::wire))
                .containsExactly("pending", "valid", "invalid", "deactivated", "expired", "revoked");
        assertThat(Arrays.stream(OrderStatus.values()).map(OrderStatus::wire))
                .containsExactly("pending", "ready", "processing", "valid", "invalid");
        for (AuthorizationStatus status : AuthorizationStatus.values()) {
            assertThat(AuthorizationStatus.fromWire(status.wire())).isEqualTo(status);
        }
        assertThatThrownBy(() -> AuthorizationStatus.fromWire("ready")).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 8555 7.1.6 restated: the oracle for the exhaustive test. */
    private static OrderStatus expected(Progress progress, boolean expired, List<AuthorizationStatus> authorizations) {
        if (progress == Progress.ISSUED) {
            return OrderStatus.VALID;
        }
        if (progress == Progress.FAILED) {
            return OrderStatus.INVALID;
        }
        if (progress == Progress.PROCESSING) {
            return OrderStatus.PROCESSING;
        }
        EnumSet<AuthorizationStatus> failed = EnumSet.of(INVALID, DEACTIVATED, EXPIRED, REVOKED);
        if (expired || authorizations.isEmpty() || authorizations.stream().anyMatch(failed::contains)) {
            return OrderStatus.INVALID;
        }
        return authorizations.contains(PENDING) ? OrderStatus.PENDING : OrderStatus.READY;
    }

    private static List<List<AuthorizationStatus>> combinations(int maxSize) {
        List<List<AuthorizationStatus>> all = new ArrayList<>();
        all.add(List.of());
        List<List<AuthorizationStatus>> previous = List.of(List.of());
        for (int size = 1; size <= maxSize; size++) {
            List<List<AuthorizationStatus>> next = new ArrayList<>();
            for (List<AuthorizationStatus> prefix : previous) {
                for (AuthorizationStatus status : AuthorizationStatus.values()) {
                    List<AuthorizationStatus> longer = new ArrayList<>(prefix);
                    longer.add(status);
                    next.add(List.copyOf(longer));
                }
            }
            all.addAll(next);
            previous = next;
        }
        return all;
    }

    private static OrderStatus status(AuthorizationStatus... authorizations) {
        return OrderStates.status(Progress.NONE, LATER, List.of(authorizations), NOW);
    }
}
