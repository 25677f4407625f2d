package dev.certplane.inventory;

import java.util.List;

/** One page of a listing with the total number of matches. */
public record InventoryPage<T>(List<T> items, long total, int page, int size) {

    public InventoryPage {
        items = List.copyOf(items);
    }
}
