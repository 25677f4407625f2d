package dev.certplane.acme.server.internal.validation;

import dev.certplane.acme.protocol.ProblemType;

/** Why a check failed, as the challenge's error will say it (RFC 8555 8.2). Never leaves this package. */
final class ValidationFailure extends RuntimeException {

    private final ProblemType type;

    ValidationFailure(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    ProblemType type() {
        return type;
    }

    String detail() {
        return getMessage();
    }
}
