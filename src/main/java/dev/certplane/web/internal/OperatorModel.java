package dev.certplane.web.internal;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.security.OperatorPrincipal;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gives every rendered page the operator and the permissions they hold ({@code can}), so the layout shows only
 * the modules and actions the operator may use. Hiding is a courtesy: the server refuses every action too. An
 * interceptor rather than a controller advice, so API and ACME responses (no view) pay nothing for it.
 */
@Configuration(proxyBeanMethods = false)
class OperatorModel implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                    @Nullable ModelAndView view) {
                if (view != null && (view.getViewName() == null || !view.getViewName().startsWith("redirect:"))) {
                    OperatorPrincipal operator = operator();
                    view.addObject("operator", operator);
                    view.addObject("can", operator == null ? Set.of() : operator.permissions());
                }
            }
        }).excludePathPatterns("/acme/**", "/api/**");
    }

    private static @Nullable OperatorPrincipal operator() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof OperatorPrincipal operator
                ? operator : null;
    }
}
