package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The http-01 method {@code webroot}: the answer is written as {@code <webroot>/.well-known/acme-challenge/<token>}
 * for a web server on the name to serve (RFC 8555 8.3), and deleted at cleanup. The token comes from the CA and
 * becomes a file name, so anything but base64url is refused.
 */
public final class Webroot {

    static final String DIRECTORY = ".well-known/acme-challenge";

    private Webroot() {
    }

    /**
     * Checks a webroot an operator names: an absolute path to a directory of this server.
     *
     * @param field the request field, for the message
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void check(String field, String webroot) {
        Path path;
        try {
            path = Path.of(webroot);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(field + " '" + webroot + "' is not a path: " + e.getReason(), e);
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(field + " '" + webroot + "' must be an absolute path");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(field + " '" + webroot + "' is not a directory on this server");
        }
    }

    /** Writes the answer (readable as the process's umask allows, for the web server); returns its path. */
    static Path write(String webroot, String token, String keyAuthorization) throws IOException {
        if (!token.matches("[A-Za-z0-9_-]+")) {
            throw new IOException("the CA's token '" + token + "' is not base64url (RFC 8555 8.3), so it cannot be a"
                    + " file name");
        }
        Path directory = Path.of(webroot).resolve(DIRECTORY);
        try {
            Files.createDirectories(directory);
            return Files.writeString(directory.resolve(token), keyAuthorization, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw explained(e);
        }
    }

    /** @return whether there was a file to delete */
    static boolean remove(String file) throws IOException {
        try {
            return Files.deleteIfExists(Path.of(file));
        } catch (IOException e) {
            throw explained(e);
        }
    }

    /** NIO's messages are often only a path ("AccessDeniedException: /srv/www"); these say what went wrong. */
    private static IOException explained(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return new IOException("permission denied on " + denied.getFile(), e);
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return new IOException(exists.getFile() + " exists and is not a directory", e);
        }
        if (e instanceof FileSystemException failed) {
            return new IOException(failed.getFile() + ": " + (failed.getReason() == null
                    ? e.getClass().getSimpleName() : failed.getReason()), e);
        }
        return e;
    }
}
