package dev.certplane.delivery.internal.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Ready-to-paste client configuration for a token, as docs/certificate-tokens.md and docs/acme-server.md give it,
 * with the token's directory, key id, HMAC key and names filled in. The CA bundle path is the one those pages use.
 */
final class ClientSnippets {

    static final String CA_BUNDLE = "/etc/certplane/ca-bundle.pem";

    /** One client's configuration; {@code id} names its copy target on the page. */
    record Snippet(String id, String client, String note, String text) {
    }

    private ClientSnippets() {
    }

    static List<Snippet> of(String directory, String kid, String hmac, List<String> names) {
        String first = names.isEmpty() ? "www.example.net" : names.get(0);
        String certbotNames = names.stream().map(n -> "-d " + n).collect(Collectors.joining(" "));
        String legoNames = names.stream().map(n -> "--domains " + n).collect(Collectors.joining(" "));
        String acmeShNames = names.stream().map(n -> "-d " + n).collect(Collectors.joining(" "));
        return List.of(
                new Snippet("certbot", "certbot", "renewals reuse the registered account; no EAB needed again",
                        "REQUESTS_CA_BUNDLE=" + CA_BUNDLE + " certbot certonly --non-interactive --agree-tos \\\n"
                                + "  -m ops@example.net --server " + directory + " \\\n"
                                + "  --eab-kid " + kid + " --eab-hmac-key " + hmac + " \\\n"
                                + "  --standalone " + certbotNames),
                new Snippet("lego", "lego", "",
                        "LEGO_CA_CERTIFICATES=" + CA_BUNDLE + " lego --accept-tos --email ops@example.net \\\n"
                                + "  --server " + directory + " --eab --kid " + kid + " --hmac " + hmac + " \\\n"
                                + "  --http " + legoNames + " run"),
                new Snippet("acmesh", "acme.sh", "",
                        "acme.sh --register-account --server " + directory + " \\\n"
                                + "  --eab-kid " + kid + " --eab-hmac-key " + hmac + " --ca-bundle " + CA_BUNDLE + "\n"
                                + "acme.sh --issue --server " + directory + " " + acmeShNames + " --standalone"),
                new Snippet("caddy", "Caddy", "Caddyfile",
                        "{\n\tacme_ca " + directory + "\n\tacme_ca_root " + CA_BUNDLE + "\n\tacme_eab {\n\t\tkey_id "
                                + kid + "\n\t\tmac_key " + hmac + "\n\t}\n}\n" + String.join(", ", names.isEmpty()
                                        ? List.of(first) : names) + " {\n\trespond \"hello\"\n}"),
                new Snippet("modmd", "Apache mod_md", "",
                        "MDCertificateAuthority " + directory + "\nMDCACertificateFile " + CA_BUNDLE
                                + "\nMDExternalAccountBinding " + kid + " " + hmac + "\nMDomain "
                                + String.join(" ", names.isEmpty() ? List.of(first) : names)),
                new Snippet("haproxy", "HAProxy",
                        "HAProxy has no ACME client: certbot gets the certificate and a deploy hook writes the PEM "
                                + "HAProxy loads (see docs/acme-server.md, HAProxy)",
                        "REQUESTS_CA_BUNDLE=" + CA_BUNDLE + " certbot certonly --non-interactive --agree-tos \\\n"
                                + "  -m ops@example.net --server " + directory + " \\\n"
                                + "  --eab-kid " + kid + " --eab-hmac-key " + hmac + " \\\n"
                                + "  --standalone " + certbotNames
                                + " --deploy-hook /etc/haproxy/certplane-deploy.sh\n"
                                + "# haproxy.cfg\nfrontend https\n    bind :443 ssl crt /etc/haproxy/certs/"),
                new Snippet("winacme", "win-acme", "PowerShell; trust Certplane's CA in the Windows machine store first",
                        "wacs.exe --baseuri \"" + directory + "\" --accepttos --emailaddress ops@example.net `\n"
                                + "  --eab-key-identifier " + kid + " --eab-key " + hmac + " `\n"
                                + "  --source manual --host " + String.join(",", names.isEmpty() ? List.of(first) : names)
                                + " `\n  --validation filesystem --webroot C:\\inetpub\\wwwroot `\n"
                                + "  --store certificatestore --installation iis --installationsiteid 1"),
                new Snippet("certmanager", "cert-manager", "",
                        "apiVersion: v1\nkind: Secret\nmetadata: {name: certplane-eab, namespace: cert-manager}\n"
                                + "stringData: {secret: " + hmac + "}\n---\napiVersion: cert-manager.io/v1\n"
                                + "kind: ClusterIssuer\nmetadata: {name: certplane-" + kid.toLowerCase(Locale.ROOT)
                                        .replaceAll("[^a-z0-9-]", "-") + "}\nspec:\n  acme:\n    server: " + directory
                                + "\n    caBundle: <base64 of ca-bundle.pem>\n"
                                + "    privateKeySecretRef: {name: certplane-account}\n"
                                + "    externalAccountBinding:\n      keyID: " + kid + "\n"
                                + "      keySecretRef: {name: certplane-eab, key: secret}\n"
                                + "    solvers: [{http01: {ingress: {}}}]"));
    }
}
