package dev.certplane.security.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

import dev.certplane.security.Operators;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.shared.Permissions;
import dev.certplane.shared.StartupStep;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Creates the first operator, {@code admin}, when there is no user at all. The password is
 * {@code CERTPLANE_ADMIN_PASSWORD}, or generated and written once to a 0600 file in the data directory
 * (never logged). The file is written before the user is committed, so a crash in between reuses it.
 */
@Component
class AdminBootstrap extends StartupStep implements Operators {

    static final String ADMIN = "admin";
    static final String PASSWORD_FILE = "admin-password.txt";
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final OperatorAccounts accounts;
    private final AdminSettings settings;
    private final Path passwordFile;

    AdminBootstrap(OperatorAccounts accounts, AdminSettings settings, CertplaneProperties certplane) {
        super(-100);
        this.accounts = accounts;
        this.settings = settings;
        this.passwordFile = certplane.dataDir().resolve(PASSWORD_FILE);
    }

    @Override
    protected void run() {
        if (!accounts.anyUser()) {
            boolean configured = settings.adminPassword() != null && !settings.adminPassword().isBlank();
            String password = configured ? settings.adminPassword() : generatedPassword();
            try {
                accounts.createUser(ADMIN, password, Set.of(Permissions.ADMIN), !configured);
            } catch (ResponseStatusException e) {
                if (e.getStatusCode() != HttpStatus.CONFLICT) {
                    throw e;
                }
                // Another replica created the admin first; theirs stands.
            }
        }
    }

    @Override
    public String loginHint() {
        if (settings.adminPassword() != null && !settings.adminPassword().isBlank()) {
            return "user '" + ADMIN + "' with the password from CERTPLANE_ADMIN_PASSWORD";
        }
        if (Files.exists(passwordFile)) {
            return "user '" + ADMIN + "' with the generated password in " + passwordFile;
        }
        return "an existing operator account";
    }

    private String generatedPassword() {
        try {
            if (Files.exists(passwordFile)) {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            }
            SecureRandom random = new SecureRandom();
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            Files.createDirectories(passwordFile.getParent());
            Files.createFile(passwordFile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            return password.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated admin password to " + passwordFile, e);
        }
    }
}
