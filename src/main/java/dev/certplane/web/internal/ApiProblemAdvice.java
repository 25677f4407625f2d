package dev.certplane.web.internal;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * The one place where {@code /api/**} errors become RFC 9457 problem documents: Spring MVC's own errors
 * (bad JSON, failed validation, wrong method) through the base class, {@code ResponseStatusException}s
 * thrown by features with their precise detail, and anything unexpected as a generic 500 whose detail
 * carries only a reference to the log line. No stack trace leaves the server.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
class ApiProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblemAdvice.class);

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "you do not have the permission this operation requires"));
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalid(jakarta.validation.ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted()
                .collect(java.util.stream.Collectors.joining("; "));
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    /** Names every invalid field, instead of Spring's generic "Invalid request content." */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + ": " + (error.isBindingFailure()
                        ? "'" + error.getRejectedValue() + "' cannot be read as this field's type" : error.getDefaultMessage()))
                .sorted()
                .collect(java.util.stream.Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = e.getBindingResult().getAllErrors().stream().map(error -> String.valueOf(error.getDefaultMessage()))
                    .collect(java.util.stream.Collectors.joining("; "));
        }
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    /**
     * Says which field could not be read, instead of Spring's generic "Failed to read request"; Jackson's own
     * message is given only for syntax errors, where it names the position, never type names.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "the request body must be a JSON object as this operation describes";
        if (e.getCause() instanceof StreamReadException syntax) {
            detail = "the request body is not valid JSON: " + syntax.getOriginalMessage();
        } else if (e.getCause() instanceof JacksonException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                            : "[" + reference.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            detail = "field '" + field + "' has a value of the wrong type or format";
        }
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    /** Says which limit the upload broke (the servlet container's message names the part and the limit). */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        String detail;
        if (cause.getClass().getSimpleName().equals("FileCountLimitExceededException")) {
            // Tomcat's part limit (server.tomcat.max-part-count); its message is only the word "attachment".
            detail = "the upload has more parts (files and fields) than the server accepts";
        } else {
            detail = "the upload is larger than the server accepts"
                    + (cause != e && cause.getMessage() != null ? ": " + cause.getMessage() : "");
        }
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail));
    }

    /** A multipart body the container could not parse (malformed, too many parts) is the client's error. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException e) {
        Throwable cause = e.getMostSpecificCause();
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the multipart/form-data body cannot be read" + (cause != e && cause.getMessage() != null
                        ? ": " + cause.getMessage() : "")));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String reference = UUID.randomUUID().toString();
        log.error("unexpected error, reference {}", reference, e);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal error; reference " + reference));
    }
}
