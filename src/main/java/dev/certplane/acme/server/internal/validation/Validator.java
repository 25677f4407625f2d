package dev.certplane.acme.server.internal.validation;

import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;

/**
 * One challenge type's check, from one perspective. It reads the network only through {@link Dns} and
 * {@link Targets}, writes nothing, and either returns (the proof is there) or throws a {@link ValidationFailure}
 * saying precisely what was tried and what was found.
 */
interface Validator {

    ChallengeType type();

    /** @param record where to note each step (lookups, addresses, requests, values seen) */
    void check(ChallengeCheck check, Dns dns, Deadline deadline, List<String> record);
}
