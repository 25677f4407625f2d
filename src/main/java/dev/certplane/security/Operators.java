package dev.certplane.security;

/** What the start-up banner needs to know about operator accounts. */
public interface Operators {

    /** How to log in the first time, for example where the generated admin password was written. */
    String loginHint();
}
