package dev.certplane.acme.protocol;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An ACME error to send as {@code application/problem+json} (RFC 8555 6.7). Thrown anywhere on the ACME
 * surface and rendered in exactly one place; the detail is written for the person reading the client's log.
 *
 * @param status the HTTP status, usually {@link ProblemType#status()}
 * @param location a related resource to send as {@code Location} (the existing account on a key conflict)
 */
public final class AcmeProblem extends RuntimeException {

    private final ProblemType type;
    private final int status;
    private final List<Subproblem> subproblems;
    private final @Nullable String location;

    private AcmeProblem(ProblemType type, int status, String detail, List<Subproblem> subproblems,
            @Nullable String location) {
        super(detail, null, false, false);
        this.type = type;
        this.status = status;
        this.subproblems = List.copyOf(subproblems);
        this.location = location;
    }

    public static AcmeProblem of(ProblemType type, String detail) {
        return new AcmeProblem(type, type.status(), detail, List.of(), null);
    }

    public static AcmeProblem malformed(String detail) {
        return of(ProblemType.MALFORMED, detail);
    }

    /** A problem with another HTTP status than its type's default, such as 404, 405, 413 or 415. */
    public static AcmeProblem withStatus(ProblemType type, int status, String detail) {
        return new AcmeProblem(type, status, detail, List.of(), null);
    }

    /** A problem about several identifiers at once (RFC 8555 6.7.1). */
    public static AcmeProblem compound(ProblemType type, String detail, List<Subproblem> subproblems) {
        return new AcmeProblem(type, type.status(), detail, subproblems, null);
    }

    public AcmeProblem at(String relatedLocation) {
        return new AcmeProblem(type, status, getMessage(), subproblems, relatedLocation);
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public List<Subproblem> subproblems() {
        return subproblems;
    }

    public @Nullable String location() {
        return location;
    }

    /** One identifier's part of a compound problem. */
    public record Subproblem(ProblemType type, String detail, Identifier identifier) {
    }
}
