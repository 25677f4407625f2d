package dev.certplane.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.certplane.inventory.CertificateQuery;
import dev.certplane.inventory.CertificateStatus;
import dev.certplane.inventory.Inventory;

/**
 * Leaf certificates expiring in each week of the next 90 days (13 weeks), with the geometry of an SVG bar chart
 * so the page needs no chart library. Each bucket is one indexed count.
 */
record ExpiryTimeline(List<Bucket> buckets, long max) {

    static final int WEEKS = 13;
    static final int CHART_HEIGHT = 120;
    static final int BAR_WIDTH = 40;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MMM d").withZone(ZoneOffset.UTC);
    private static final Set<CertificateStatus> LIVE = Set.of(CertificateStatus.VALID, CertificateStatus.EXPIRING_SOON,
            CertificateStatus.EXPIRING);

    /** One week: its bar's x offset and height in the chart's coordinates. */
    record Bucket(Instant from, Instant to, String label, long count, int x, int height) {
    }

    static ExpiryTimeline of(Inventory inventory, Instant now) {
        List<Long> counts = new ArrayList<>();
        long max = 0;
        for (int week = 0; week < WEEKS; week++) {
            Instant from = now.plus(Duration.ofDays(7L * week));
            Instant to = from.plus(Duration.ofDays(7));
            CertificateQuery query = new CertificateQuery(null, LIVE, null, true, null, null, to, from, "notAfter", false);
            long count = inventory.search(query, 0, 1).total();
            counts.add(count);
            max = Math.max(max, count);
        }
        List<Bucket> buckets = new ArrayList<>();
        for (int week = 0; week < WEEKS; week++) {
            Instant from = now.plus(Duration.ofDays(7L * week));
            long count = counts.get(week);
            int height = max == 0 ? 0 : (int) Math.max(count == 0 ? 0 : 2, count * (CHART_HEIGHT - 20) / max);
            buckets.add(new Bucket(from, from.plus(Duration.ofDays(7)), LABEL.format(from), count, week * BAR_WIDTH,
                    height));
        }
        return new ExpiryTimeline(buckets, max);
    }

    /** Public: templates call it. */
    public long total() {
        return buckets.stream().mapToLong(Bucket::count).sum();
    }
}
