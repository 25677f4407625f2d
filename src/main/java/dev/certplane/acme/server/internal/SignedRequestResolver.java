package dev.certplane.acme.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ProblemType;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Turns an HTTP request into a {@link SignedRequest}: checks the media type (RFC 8555 6.2) and the body
 * size, then hands the bytes to the {@link RequestAuthenticator}.
 */
class SignedRequestResolver implements HandlerMethodArgumentResolver {

    static final MediaType JOSE_JSON = MediaType.parseMediaType("application/jose+json");

    private final RequestAuthenticator authenticator;
    private final AcmeUrls urls;
    private final int maxBytes;

    SignedRequestResolver(RequestAuthenticator authenticator, AcmeUrls urls, int maxBytes) {
        this.authenticator = authenticator;
        this.urls = urls;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(Signed.class) && parameter.getParameterType() == SignedRequest.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) throws IOException {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        checkContentType(request.getContentType());
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String profile = variables == null ? "" : variables.getOrDefault("profile", "");
        String userAgent = request.getHeader("User-Agent");
        ClientInfo client = new ClientInfo(request.getRemoteAddr(),
                userAgent == null ? null : userAgent.substring(0, Math.min(200, userAgent.length())));
        return authenticator.authenticate(profile, parameter.getParameterAnnotation(Signed.class).value(), body,
                urls.asSeenByClient(request.getRequestURI(), request.getQueryString()), client);
    }

    private static void checkContentType(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == null || !JOSE_JSON.equalsTypeAndSubtype(type)) {
            throw AcmeProblem.withStatus(ProblemType.MALFORMED, 415, "ACME requests must have Content-Type"
                    + " application/jose+json (RFC 8555 6.2)");
        }
    }

    private AcmeProblem tooLarge() {
        return AcmeProblem.withStatus(ProblemType.MALFORMED, 413, "the request body is larger than " + maxBytes
                + " bytes");
    }
}
