package dev.certplane.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Times as every page shows them, called from templates as {@code ${@uiFormat.time(...)}}. */
@Component("uiFormat")
public class UiFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    UiFormat(Clock clock) {
        this.clock = clock;
    }

    public String time(@Nullable Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    /** "in 12 days", "3 hours ago", "just now": how far from now, in the largest whole unit. */
    public String relative(@Nullable Instant instant) {
        if (instant == null) {
            return "—";
        }
        Duration distance = Duration.between(clock.instant(), instant);
        if (distance.abs().compareTo(Duration.ofMinutes(1)) < 0) {
            return "just now";
        }
        boolean future = !distance.isNegative();
        Duration d = distance.abs();
        String amount;
        if (d.toDays() >= 1) {
            amount = plural(d.toDays(), "day");
        } else if (d.toHours() >= 1) {
            amount = plural(d.toHours(), "hour");
        } else {
            amount = plural(d.toMinutes(), "minute");
        }
        return future ? "in " + amount : amount + " ago";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
