package dev.certplane.acme.server.internal.validation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.ProblemType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry to challenge validation: runs the challenge type's validator from the primary perspective,
 * has the other perspectives confirm it when configured, then checks CAA when the profile asks for it — all
 * within one deadline. It returns what it found and writes nothing; the caller records it.
 */
public final class ChallengeValidator {

    private static final Logger log = LoggerFactory.getLogger(ChallengeValidator.class);

    private final ValidationSettings settings;
    private final Dns primary;
    private final List<Dns> perspectives;
    private final Map<ChallengeType, Validator> validators = new EnumMap<>(ChallengeType.class);

    public ChallengeValidator(ValidationSettings settings, Dns primary, List<Dns> perspectives, Connector connector) {
        this.settings = settings;
        this.primary = primary;
        this.perspectives = List.copyOf(perspectives);
        Targets targets = new Targets(new AddressPolicy(settings.allowedNetworks()), connector, settings.connectTimeout());
        for (Validator validator : List.of(
                new Http01Validator(targets, settings.http01Port(), settings.tlsAlpn01Port(), settings.maxResponseBytes(),
                        settings.readTimeout()),
                new Dns01Validator(),
                new TlsAlpn01Validator(targets, settings.tlsAlpn01Port(), settings.readTimeout()))) {
            validators.put(validator.type(), validator);
        }
    }

    public ValidationResult validate(ChallengeCheck check) {
        Deadline deadline = Deadline.after(settings.deadline());
        List<String> record = new ArrayList<>();
        Validator validator = validators.get(check.type());
        try {
            validator.check(check, primary, deadline, record);
            if (!perspectives.isEmpty()) {
                confirm(validator, check, deadline, record);
            }
            if (check.caa().enabled()) {
                CaaCheck.check(check, primary, deadline, record);
            }
            return ValidationResult.valid(check.type().wire() + " validated for " + check.identifier().value(), record);
        } catch (ValidationFailure failure) {
            return ValidationResult.invalid(failure.type(), failure.detail(), record);
        } catch (RuntimeException e) {
            log.warn("{} validation of {} failed unexpectedly", check.type().wire(), check.identifier().value(), e);
            return ValidationResult.invalid(ProblemType.SERVER_INTERNAL, "validation failed unexpectedly ("
                    + e.getClass().getSimpleName() + "); try again", record);
        }
    }

    /** Only the CAA part of {@link #validate}, for a validation that is too old to vouch for CAA at issuance. */
    public ValidationResult checkCaa(ChallengeCheck check) {
        Deadline deadline = Deadline.after(settings.deadline());
        List<String> record = new ArrayList<>();
        try {
            CaaCheck.check(check, primary, deadline, record);
            return ValidationResult.valid("CAA allows issuance for " + check.identifier().value(), record);
        } catch (ValidationFailure failure) {
            return ValidationResult.invalid(failure.type(), failure.detail(), record);
        }
    }

    /** How many validations of a type one replica runs at once. */
    public int concurrency(ChallengeType type) {
        return settings.concurrency().of(type);
    }

    /** Multi-perspective validation: the same check through each perspective's resolvers, and a quorum. */
    private void confirm(Validator validator, ChallengeCheck check, Deadline deadline, List<String> record) {
        int required = settings.perspectives().required();
        List<String> failures = new ArrayList<>();
        ProblemType firstProblem = null;
        int confirmed = 0;
        for (Dns perspective : perspectives) {
            List<String> steps = new ArrayList<>();
            try {
                validator.check(check, perspective, deadline, steps);
                confirmed++;
                record.add("perspective " + perspective.describe() + " confirmed: " + String.join("; ", steps));
            } catch (ValidationFailure failure) {
                if (deadline.passed()) {
                    throw failure;
                }
                firstProblem = firstProblem == null ? failure.type() : firstProblem;
                failures.add(perspective.describe() + ": " + failure.detail());
                record.add("perspective " + perspective.describe() + " failed: " + failure.detail());
            }
        }
        if (confirmed < required) {
            throw new ValidationFailure(firstProblem, "only " + confirmed + " of " + perspectives.size()
                    + " validation perspectives confirmed, " + required + " needed (" + String.join("; ", failures) + ")");
        }
    }
}
