package dev.certplane.alerts;

import java.util.List;

/** One page of alerts with the total number of matches. */
public record AlertPage(List<Alert> items, long total, int page, int size) {

    public AlertPage {
        items = List.copyOf(items);
    }
}
