package dev.certplane.acme.client;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A public ACME CA Certplane knows how to reach, as its documentation describes it, and whether it needs
 * external account binding (RFC 8555 7.3.4) credentials from the CA's console.
 *
 * @param directoryUrl null for {@code custom}, which takes any directory URL
 */
public record IssuerPreset(String id, String name, @Nullable String directoryUrl, boolean eabRequired, String notes) {

    public static final String CUSTOM = "custom";

    public static final List<IssuerPreset> ALL = List.of(
            new IssuerPreset("letsencrypt", "Let's Encrypt", "https://acme-v02.api.letsencrypt.org/directory", false,
                    "90-day DV certificates; rate limits per registered domain"),
            new IssuerPreset("letsencrypt-staging", "Let's Encrypt (staging)",
                    "https://acme-staging-v02.api.letsencrypt.org/directory", false,
                    "untrusted test certificates with generous rate limits"),
            new IssuerPreset("google", "Google Trust Services", "https://dv.acme-v02.api.pki.goog/directory", true,
                    "EAB credentials from the Google Cloud console (Public CA API)"),
            new IssuerPreset("sectigo-dv", "Sectigo DV", "https://acme.sectigo.com/v2/DV", true,
                    "EAB credentials from Sectigo Certificate Manager"),
            new IssuerPreset("sectigo-ov", "Sectigo OV", "https://acme.sectigo.com/v2/OV", true,
                    "organization validated; the organization is vetted by Sectigo first"),
            new IssuerPreset("sectigo-ev", "Sectigo EV", "https://acme.sectigo.com/v2/EV", true,
                    "extended validation; the organization is vetted by Sectigo first"),
            new IssuerPreset("zerossl", "ZeroSSL", "https://acme.zerossl.com/v2/DV90", true,
                    "EAB credentials from the ZeroSSL developer page"),
            new IssuerPreset("buypass", "Buypass Go SSL", "https://api.buypass.com/acme/directory", false,
                    "180-day DV certificates"),
            new IssuerPreset("sslcom", "SSL.com", "https://acme.ssl.com/sslcom-dv-rsa", true,
                    "EAB credentials from the SSL.com account; an -ecc directory exists for ECDSA"),
            new IssuerPreset("actalis", "Actalis", "https://acme-api.actalis.com/acme/directory", true,
                    "EAB credentials from the Actalis customer area"),
            new IssuerPreset(CUSTOM, "Custom directory", null, false,
                    "any RFC 8555 CA, such as step-ca, Boulder or a private CA; give its directory URL"));

    public static Optional<IssuerPreset> find(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
