package dev.certplane.acme.server.internal;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.FlattenedJws;
import dev.certplane.acme.protocol.Jwk;
import dev.certplane.acme.protocol.JwsVerifier;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.delivery.Delivery;
import dev.certplane.delivery.TokenBinding;

import org.springframework.stereotype.Component;

/**
 * The one JWS pipeline (RFC 8555 6.2-6.5): parse, find the key (by {@code jwk} or {@code kid}), check the
 * algorithm and signature, check {@code url}, and only then spend the nonce, so a forged request cannot
 * burn a client's nonces.
 */
@Component
class RequestAuthenticator {

    private final ProfileCatalog profiles;
    private final Accounts accounts;
    private final AcmeUrls urls;
    private final Nonces nonces;
    private final Delivery delivery;

    RequestAuthenticator(ProfileCatalog profiles, Accounts accounts, AcmeUrls urls, Nonces nonces, Delivery delivery) {
        this.delivery = delivery;
        this.profiles = profiles;
        this.accounts = accounts;
        this.urls = urls;
        this.nonces = nonces;
    }

    /**
     * @param requestUrl the URL the client must have signed, as {@link AcmeUrls#asSeenByClient} builds it
     */
    SignedRequest authenticate(String profileName, KeyMode mode, byte[] body, String requestUrl, ClientInfo client) {
        Profile profile = profiles.require(profileName);
        FlattenedJws jws = FlattenedJws.parse(body);
        Account account = null;
        Jwk key;
        if (jws.kid() != null) {
            if (mode == KeyMode.JWK) {
                throw AcmeProblem.malformed("newAccount must be signed with the new account's key in \"jwk\", not"
                        + " \"kid\" (RFC 8555 7.3)");
            }
            account = accountNamedBy(profile, jws.kid());
            key = account.key();
        } else {
            if (mode == KeyMode.KID) {
                throw AcmeProblem.malformed("this resource needs \"kid\" (the account URL) in the protected header,"
                        + " not \"jwk\" (RFC 8555 6.2)");
            }
            key = jws.jwk();
        }
        JwsVerifier.verify(jws, key);
        if (!jws.url().equals(requestUrl)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the JWS \"url\" " + quote(jws.url())
                    + " is not the URL this request was sent to, " + requestUrl + " (RFC 8555 6.4)");
        }
        if (jws.nonce() == null) {
            throw AcmeProblem.of(ProblemType.BAD_NONCE, "the protected header has no \"nonce\"; use the one in this"
                    + " response's Replay-Nonce header");
        }
        TokenBinding binding = account != null && profile.authMode() == AuthMode.TOKEN ? usableBinding(profile, account)
                : null;
        nonces.spend(jws.nonce());
        return new SignedRequest(profile, jws, key, account, binding, client);
    }

    private Account accountNamedBy(Profile profile, String kid) {
        String id = urls.accountIdOf(profile.name(), kid).orElseThrow(() -> AcmeProblem.of(
                ProblemType.ACCOUNT_DOES_NOT_EXIST, "\"kid\" " + quote(kid) + " is not an account URL of the '"
                        + profile.name() + "' directory"));
        Account account = accounts.find(id).filter(a -> a.profile().equals(profile.name()))
                .orElseThrow(() -> AcmeProblem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST, "there is no account " + quote(kid)));
        if (!account.isValid()) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "account " + kid + " is " + account.status());
        }
        return account;
    }

    /**
     * In a token profile every account acts under its certificate token, checked on each request, so revoking
     * or expiring the token stops the account at once.
     */
    private TokenBinding usableBinding(Profile profile, Account account) {
        TokenBinding binding = delivery.bindingOf(account.id()).orElseThrow(() -> AcmeProblem.of(
                ProblemType.UNAUTHORIZED, "this account is not bound to a certificate token, which profile '"
                        + profile.name() + "' requires; register a new account with externalAccountBinding"));
        if (binding.refusal() != null) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, binding.refusal());
        }
        return binding;
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + "\"";
    }
}
