package dev.certplane.security.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.certplane.shared.Permissions;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** {@code admin} implies every permission; authorities are the permission names themselves. */
final class EffectivePermissions {

    private EffectivePermissions() {
    }

    static Set<String> expand(Set<String> permissions) {
        return permissions.contains(Permissions.ADMIN) ? new LinkedHashSet<>(Permissions.ALL) : permissions;
    }

    static List<GrantedAuthority> authorities(Set<String> permissions) {
        return expand(permissions).stream().<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
    }

    /** The unknown names in {@code requested}, for a precise error. */
    static List<String> unknown(Set<String> requested) {
        return requested.stream().filter(p -> !Permissions.ALL.contains(p)).toList();
    }
}
