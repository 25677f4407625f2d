package dev.certplane.web.internal;

import java.util.Set;

import dev.certplane.security.OperatorPrincipal;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the operator and the permissions they hold ({@code can}), so the layout shows only the
 * modules and actions the operator may use. Hiding is a courtesy: every action is refused by the server too.
 */
@ControllerAdvice(annotations = Controller.class)
class OperatorModelAdvice {

    @ModelAttribute("operator")
    @Nullable OperatorPrincipal operator(@AuthenticationPrincipal @Nullable OperatorPrincipal operator) {
        return operator;
    }

    @ModelAttribute("can")
    Set<String> can(@AuthenticationPrincipal @Nullable OperatorPrincipal operator) {
        return operator == null ? Set.of() : operator.permissions();
    }
}
