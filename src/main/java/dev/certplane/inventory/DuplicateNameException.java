package dev.certplane.inventory;

/** Another managed certificate has the name already. */
public final class DuplicateNameException extends RuntimeException {

    DuplicateNameException(String name) {
        super("a managed certificate named '" + name + "' exists already");
    }
}
