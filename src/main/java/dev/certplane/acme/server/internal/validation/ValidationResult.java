package dev.certplane.acme.server.internal.validation;

import java.util.List;

import dev.certplane.acme.protocol.ProblemType;

import org.jspecify.annotations.Nullable;

/**
 * What a validation found, for the order service to record: valid, or the problem type and detail that
 * become the challenge's {@code error}, and in both cases what was tried (resolvers, addresses, URLs, values).
 */
public record ValidationResult(boolean valid, @Nullable ProblemType problem, String detail, List<String> record) {

    public ValidationResult {
        record = List.copyOf(record);
    }

    static ValidationResult valid(String detail, List<String> record) {
        return new ValidationResult(true, null, detail, record);
    }

    static ValidationResult invalid(ProblemType problem, String detail, List<String> record) {
        return new ValidationResult(false, problem, detail, record);
    }
}
