package dev.certplane.shared;

/** How an audited action ended. */
public enum Outcome {
    SUCCESS, FAILURE, DENIED
}
