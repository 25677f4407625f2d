package dev.certplane.acme.server.internal;

import dev.certplane.acme.protocol.Base64Url;
import dev.certplane.pki.Providers;

/** Resource ids: 128 random bits, so URLs cannot be guessed or enumerated. */
final class Ids {

    private Ids() {
    }

    static String random() {
        byte[] bytes = new byte[16];
        Providers.RANDOM.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }
}
