package dev.certplane.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Who a certificate or managed certificate belongs to and how it is tagged: one set of rules for both, so a
 * filter by organization or tag means the same everywhere.
 */
public record Ownership(@Nullable String owner, @Nullable String organization, List<String> tags) {

    public static final int MAX_TAGS = 50;
    public static final Ownership NONE = new Ownership(null, null, List.of());

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:=/-]{0,63}");

    public Ownership {
        tags = List.copyOf(tags);
    }

    public boolean isEmpty() {
        return owner == null && organization == null && tags.isEmpty();
    }

    /**
     * The same values stripped, blank ones as {@code null}, tags without repeats.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public Ownership checked() {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(tags));
        if (unique.size() > MAX_TAGS) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags are allowed");
        }
        for (String tag : unique) {
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tag '" + abbreviate(tag) + "' must be 1 to 64 letters, digits or"
                        + " _ . : = / - (starting with a letter or digit)");
            }
        }
        return new Ownership(optionalText(owner, "owner"), optionalText(organization, "organization"), unique);
    }

    static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static @Nullable String optionalText(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > 200 || hasControl(text)) {
            throw new IllegalArgumentException(field + " must be at most 200 printable characters");
        }
        return text;
    }

    private static String abbreviate(String text) {
        return text.length() > 70 ? text.substring(0, 70) + "…" : text;
    }
}
