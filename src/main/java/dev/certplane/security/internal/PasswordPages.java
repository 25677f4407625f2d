package dev.certplane.security.internal;

import jakarta.servlet.http.HttpServletRequest;

import dev.certplane.security.OperatorPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The operator's own password: chosen at the first login when someone else set it, and changed at will. */
@Controller
class PasswordPages {

    private final OperatorAccounts accounts;

    PasswordPages(OperatorAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping(PasswordChangeGate.PAGE)
    String form(HttpServletRequest request, Model model) {
        model.addAttribute("required", PasswordChangeGate.required(request));
        return "account/password";
    }

    @PostMapping(PasswordChangeGate.PAGE)
    String change(@AuthenticationPrincipal OperatorPrincipal operator, @RequestParam(defaultValue = "") String current,
            @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String confirm,
            HttpServletRequest request, Model model, RedirectAttributes redirect) {
        String error = null;
        if (!password.equals(confirm)) {
            error = "the new password and its confirmation differ";
        } else {
            try {
                accounts.changePassword(operator.userId(), current, password);
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            model.addAttribute("required", PasswordChangeGate.required(request));
            model.addAttribute("error", error);
            return "account/password";
        }
        PasswordChangeGate.passed(request);
        redirect.addFlashAttribute("notice", "Your password was changed.");
        return "redirect:/";
    }
}
