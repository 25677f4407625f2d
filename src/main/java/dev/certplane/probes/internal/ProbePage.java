package dev.certplane.probes.internal;

import java.util.List;

/** One page of probe targets with the total number of matches. */
public record ProbePage(List<ProbeTarget> items, long total, int page, int size) {

    public ProbePage {
        items = List.copyOf(items);
    }
}
