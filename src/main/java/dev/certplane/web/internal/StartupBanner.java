package dev.certplane.web.internal;

import dev.certplane.security.Operators;
import dev.certplane.shared.CertplaneProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever started Certplane where to point a browser and an ACME client, and how to log in. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final CertplaneProperties certplane;
    private final Operators operators;

    StartupBanner(CertplaneProperties certplane, Operators operators) {
        this.certplane = certplane;
        this.operators = operators;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        String base = certplane.externalUrl().toString().replaceAll("/+$", "");
        log.info("""

                Certplane is ready.
                  Operator UI:     {}/
                  ACME directory:  {}/acme/directory
                  CA bundle:       {}
                  Log in as:       {}
                """, base, base, certplane.caBundleFile().toAbsolutePath().normalize(), operators.loginHint());
    }
}
