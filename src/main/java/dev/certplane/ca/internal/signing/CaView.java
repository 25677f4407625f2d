package dev.certplane.ca.internal.signing;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.ca.CaCertificate;
import dev.certplane.ca.CertificateAuthority;

import org.springframework.stereotype.Service;

@Service
class CaView implements CertificateAuthority {

    private final CaKeeper keeper;

    CaView(CaKeeper keeper) {
        this.keeper = keeper;
    }

    @Override
    public List<CaCertificate> certificates() {
        return keeper.certificates();
    }

    @Override
    public X509Certificate root() {
        return keeper.active().root();
    }

    @Override
    public X509Certificate issuing() {
        return keeper.active().issuing();
    }
}
