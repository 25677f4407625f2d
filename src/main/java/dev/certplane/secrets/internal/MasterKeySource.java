package dev.certplane.secrets.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import dev.certplane.secrets.MasterKeyException;

/**
 * Where the master key comes from: the configured value, else the key file in the data directory.
 * A key file is generated only on a first start; once secrets exist a missing key is an error, never
 * a reason to make a new one.
 */
record MasterKeySource(String configured, Path keyFile) {

    static final String FILE_NAME = "master.key";

    byte[] load(boolean secretsExist) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.strip(), "CERTPLANE_MASTER_KEY");
        }
        if (Files.exists(keyFile)) {
            try {
                return decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip(), keyFile.toString());
            } catch (IOException e) {
                throw new MasterKeyException("cannot read the master key file " + keyFile + ": " + e.getMessage());
            }
        }
        if (secretsExist) {
            throw new MasterKeyException("no master key: set CERTPLANE_MASTER_KEY or restore " + keyFile
                    + " (this installation already holds secrets encrypted with a master key)");
        }
        return generate();
    }

    String description() {
        return configured != null && !configured.isBlank() ? "CERTPLANE_MASTER_KEY" : keyFile.toString();
    }

    private byte[] generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(keyFile.getParent());
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new MasterKeyException("the master key file " + keyFile + " appeared while generating one; restart");
        } catch (IOException e) {
            throw new MasterKeyException("cannot write the master key file " + keyFile + ": " + e.getMessage());
        }
        return key;
    }

    private static byte[] decode(String value, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new MasterKeyException("the master key from " + source + " is not base64");
        }
        if (key.length != 32) {
            throw new MasterKeyException("the master key from " + source + " must be 32 bytes (base64 of 32 random bytes,"
                    + " e.g. `openssl rand -base64 32`), got " + key.length);
        }
        return key;
    }
}
