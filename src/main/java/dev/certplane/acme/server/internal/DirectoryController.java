package dev.certplane.acme.server.internal;

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** The directory (RFC 8555 7.1.1) of each profile, the default profile's at {@code /acme/directory}, and newNonce (7.2). */
@RestController
class DirectoryController {

    private final ProfileCatalog profiles;
    private final AcmeUrls urls;
    private final AcmeSettings settings;

    DirectoryController(ProfileCatalog profiles, AcmeUrls urls, AcmeSettings settings) {
        this.profiles = profiles;
        this.urls = urls;
        this.settings = settings;
    }

    @GetMapping("/acme/directory")
    Wire.Directory defaultDirectory() {
        return directory(profiles.defaultProfile());
    }

    @GetMapping("/acme/{profile}/directory")
    Wire.Directory directory(@PathVariable String profile) {
        Profile p = profiles.require(profile);
        String name = p.name();
        var meta = new Wire.DirectoryMeta(settings.termsOfService() == null ? null : settings.termsOfService().toString(),
                settings.website() == null ? null : settings.website().toString(),
                p.caa().issuerDomains().isEmpty() ? settings.caaIdentities() : p.caa().issuerDomains(),
                p.authMode() == AuthMode.TOKEN,
                Map.of(name, p.description().isEmpty() ? "Certplane ACME profile " + name : p.description()));
        return new Wire.Directory(urls.resource(name, "new-nonce"), urls.resource(name, "new-account"),
                urls.resource(name, "new-order"), urls.resource(name, "revoke-cert"), urls.resource(name, "key-change"),
                urls.resource(name, "renewal-info"), meta);
    }

    /** RFC 8555 7.2: HEAD answers 200 and GET 204; the nonce itself is added to every ACME response. */
    @RequestMapping(path = "/acme/{profile}/new-nonce", method = {RequestMethod.HEAD, RequestMethod.GET})
    ResponseEntity<Void> newNonce(@PathVariable String profile, jakarta.servlet.http.HttpServletRequest request) {
        profiles.require(profile);
        return request.getMethod().equals("HEAD") ? ResponseEntity.ok().build() : ResponseEntity.noContent().build();
    }
}
