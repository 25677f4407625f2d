package dev.certplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import dev.certplane.inventory.internal.store.DiscoveryStore.LiveEndpoint;

import org.junit.jupiter.api.Test;

/** The pure part of recording what a source saw: which of its old rows go. */
class SightingsTest {

    @Test
    void aSourceLosesWhatItNoLongerSeesAndOnlyThat() {
        LiveEndpoint servedA = new LiveEndpoint("a", "192.0.2.1", 443, "");
        LiveEndpoint nowOther = new LiveEndpoint("b", "192.0.2.1", 8443, "");
        LiveEndpoint silent = new LiveEndpoint("c", "192.0.2.2", 443, "");
        LiveEndpoint otherSni = new LiveEndpoint("a", "192.0.2.1", 443, "www.example.test");
        Set<LiveEndpoint> served = Set.of(servedA, new LiveEndpoint("d", "192.0.2.1", 8443, ""));

        Sightings.Plan plan = Sightings.plan(served, Set.of("a", "d", "intermediate"),
                List.of(servedA, nowOther, silent, otherSni), List.of("a", "b", "c", "intermediate", "gone"));

        assertThat(plan.staleEndpoints()).containsExactly(nowOther, silent, otherSni);
        assertThat(plan.droppedCertificates()).containsExactly("b", "c", "gone");

        Sightings.Plan forgotten = Sightings.plan(Set.of(), Set.of(), List.of(servedA), List.of("a"));
        assertThat(forgotten.staleEndpoints()).containsExactly(servedA);
        assertThat(forgotten.droppedCertificates()).containsExactly("a");
    }
}
