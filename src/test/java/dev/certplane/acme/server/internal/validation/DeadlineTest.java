package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.Test;

/** The total time budget of one validation. */
class DeadlineTest {

    @Test
    void aTimeoutShorterThanWhatIsLeftIsKept() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));

        assertThat(deadline.cap(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(deadline.capMillis(Duration.ofSeconds(5))).isEqualTo(5000);
        assertThat(deadline.passed()).isFalse();
    }

    @Test
    void aLongerTimeoutIsCutToWhatIsLeft() {
        Deadline deadline = Deadline.after(Duration.ofMillis(500));

        assertThat(deadline.cap(Duration.ofSeconds(10))).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(deadline.capMillis(Duration.ofSeconds(10))).isBetween(1, 500);
    }

    @Test
    void aSocketTimeoutIsNeverZeroWhichWouldMeanForEver() {
        assertThat(Deadline.after(Duration.ofSeconds(1)).capMillis(Duration.ofNanos(10))).isEqualTo(1);
    }

    @Test
    void onceItHasPassedEveryCapFailsWithTheDeadlineMessage() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofMillis(20));
        Thread.sleep(40);

        assertThat(deadline.passed()).isTrue();
        ValidationFailure failure = catchThrowableOfType(() -> deadline.cap(Duration.ofSeconds(1)),
                ValidationFailure.class);
        assertThat(failure.type()).isEqualTo(ProblemType.CONNECTION);
        assertThat(failure.detail()).isEqualTo("validation did not finish within 20 ms"
                + " (certplane.acme.validation.deadline)");
    }

    @Test
    void theMessageSaysWholeSecondsInSeconds() {
        assertThat(Deadline.after(Duration.ofSeconds(60)).expired().detail())
                .isEqualTo("validation did not finish within 60 s (certplane.acme.validation.deadline)");
        assertThat(Deadline.after(Duration.ofMillis(1500)).expired().detail())
                .isEqualTo("validation did not finish within 1500 ms (certplane.acme.validation.deadline)");
    }
}
