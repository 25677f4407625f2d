package dev.certplane.inventory;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import dev.certplane.pki.CertificateFacts;

/**
 * The lower-case terms a certificate is found by with a prefix search: its names and every parent domain of
 * each (so "example.com" finds www.shop.example.com, and "shop" finds shop.example.com), the common names
 * and organizations of subject and issuer, fingerprints and serial.
 */
final class SearchTerms {

    private static final int MAX_TERM = 255;

    private SearchTerms() {
    }

    static Set<String> of(CertificateFacts facts) {
        Set<String> terms = new LinkedHashSet<>();
        for (String name : facts.dnsNames()) {
            String domain = name.startsWith("*.") ? name.substring(2) : name;
            add(terms, name);
            while (domain.contains(".")) {
                add(terms, domain);
                domain = domain.substring(domain.indexOf('.') + 1);
            }
        }
        facts.ipAddresses().forEach(ip -> add(terms, ip));
        facts.emails().forEach(email -> add(terms, email));
        add(terms, facts.subjectCommonName());
        add(terms, facts.issuerCommonName());
        add(terms, organization(facts.subject()));
        add(terms, organization(facts.issuer()));
        add(terms, facts.sha256());
        add(terms, facts.sha1());
        add(terms, facts.serial());
        return terms;
    }

    private static String organization(String dn) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("O")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // An RFC 2253 name the JDK wrote itself always parses; nothing to add if it somehow does not.
        }
        return "";
    }

    private static void add(Set<String> terms, String value) {
        String term = value.strip().toLowerCase(Locale.ROOT);
        if (!term.isEmpty()) {
            terms.add(term.length() > MAX_TERM ? term.substring(0, MAX_TERM) : term);
        }
    }
}
