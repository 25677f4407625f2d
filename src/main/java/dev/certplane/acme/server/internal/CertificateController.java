package dev.certplane.acme.server.internal;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Certificate download (RFC 8555 7.4.2), revokeCert (7.6) and renewalInfo (RFC 9773 4). */
@RestController
class CertificateController {

    static final MediaType PEM_CHAIN = MediaType.parseMediaType("application/pem-certificate-chain");

    private final IssuedCertificates certificates;
    private final ProfileCatalog profiles;
    private final AcmeUrls urls;

    CertificateController(IssuedCertificates certificates, ProfileCatalog profiles, AcmeUrls urls) {
        this.certificates = certificates;
        this.profiles = profiles;
        this.urls = urls;
    }

    @PostMapping("/acme/{profile}/cert/{id}")
    ResponseEntity<String> certificate(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        String chain = certificates.download(request, id, false);
        // The chain already holds the issuing CA, so "up" names the next step, the root. Clients such as acmez
        // (Caddy) fetch every "up" link with POST-as-GET and append what they get, so it must be an ACME
        // resource (not /ca/root.crt, which takes only GET) and must not repeat the issuing CA.
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(PEM_CHAIN);
        boolean upstream = request.profile().upstream() != null;
        if (!upstream) {
            // An upstream CA's chain leads to its own root, which this server does not hold.
            response.header(HttpHeaders.LINK, "<" + urls.root(profile) + ">;rel=\"up\"");
        }
        if (certificates.offersAlternateChain() && !upstream) {
            response.header(HttpHeaders.LINK, "<" + urls.alternateCertificate(profile, id) + ">;rel=\"alternate\"");
        }
        return response.body(chain);
    }

    @PostMapping("/acme/{profile}/cert/{id}/1")
    ResponseEntity<String> alternate(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        String chain = certificates.download(request, id, true);
        return ResponseEntity.ok().contentType(PEM_CHAIN)
                .header(HttpHeaders.LINK, "<" + urls.certificate(profile, id) + ">;rel=\"alternate\"").body(chain);
    }

    /** The root the chains lead to: the target of the certificate's {@code up} link (GET or POST-as-GET). */
    @PostMapping("/acme/{profile}/root")
    ResponseEntity<String> root(@PathVariable String profile, @Signed SignedRequest request) {
        request.requirePostAsGet();
        return ResponseEntity.ok().contentType(PEM_CHAIN).body(certificates.rootPem(request.profile()));
    }

    @GetMapping("/acme/{profile}/root")
    ResponseEntity<String> rootByGet(@PathVariable String profile) {
        return ResponseEntity.ok().contentType(PEM_CHAIN).body(certificates.rootPem(profiles.require(profile)));
    }

    @PostMapping("/acme/{profile}/revoke-cert")
    ResponseEntity<Void> revoke(@PathVariable String profile, @Signed(KeyMode.JWK_OR_KID) SignedRequest request) {
        certificates.revoke(request);
        return ResponseEntity.ok().build();
    }

    @GetMapping("/acme/{profile}/renewal-info/{certificateId}")
    ResponseEntity<Wire.RenewalInfo> renewalInfo(@PathVariable String profile, @PathVariable String certificateId) {
        profiles.require(profile);
        return ResponseEntity.ok()
                .header(HttpHeaders.RETRY_AFTER, Long.toString(IssuedCertificates.RENEWAL_INFO_RETRY.toSeconds()))
                .body(certificates.renewalInfo(profile, certificateId));
    }
}
