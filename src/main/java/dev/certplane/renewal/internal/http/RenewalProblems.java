package dev.certplane.renewal.internal.http;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.RenewalRefusedException;
import dev.certplane.renewal.SelfApprovalException;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The renewal API's answers to what its services refuse: 400, 403, 404, 409 and 422 with their messages. */
final class RenewalProblems {

    private RenewalProblems() {
    }

    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (NoSuchElementException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (RenewalRefusedException e) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        } catch (RenewalConflictException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        } catch (SelfApprovalException e) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, e.getMessage());
        }
    }

    static ResponseStatusException notFound(String what) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, what);
    }
}
