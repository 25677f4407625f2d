package dev.certplane.shared;

import java.util.List;

/**
 * The permission names operators and API tokens carry. Constants, so features can name them in
 * {@code @PreAuthorize} without depending on the security module. {@code admin} implies every other one.
 */
public final class Permissions {

    public static final String CERTIFICATES_VIEW = "certificates.view";
    public static final String CERTIFICATES_MANAGE = "certificates.manage";
    public static final String ACME_MANAGE = "acme.manage";
    public static final String TOKENS_MANAGE = "tokens.manage";
    public static final String AUDIT_VIEW = "audit.view";
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(CERTIFICATES_VIEW, CERTIFICATES_MANAGE, ACME_MANAGE, TOKENS_MANAGE,
            AUDIT_VIEW, ADMIN);

    private Permissions() {
    }
}
