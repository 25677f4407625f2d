package dev.certplane.acme.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a workflow answers its http-01 challenges: {@code responder}, the built-in responder (the default);
 * {@code webroot}, a file under a web server's document root on this server; or {@code exec}, a program on this
 * server called as {@code <program> add|remove <token> <keyAuthorization> <domain>}.
 *
 * @param webroot the document root, for {@code webroot}
 * @param program the program's absolute path, for {@code exec}
 */
public record Http01Method(String type, @Nullable String webroot, @Nullable String program) {

    public static final String RESPONDER = "responder";
    public static final String WEBROOT = "webroot";
    public static final String EXEC = "exec";
    public static final List<String> TYPES = List.of(RESPONDER, WEBROOT, EXEC);

    /** For the timeline: "the built-in responder", "webroot /var/www/html", "exec /usr/local/bin/hook". */
    public String describe() {
        return switch (type) {
            case WEBROOT -> "webroot " + webroot;
            case EXEC -> "exec " + program;
            default -> "the built-in responder";
        };
    }
}
