package dev.certplane.web.internal;

import dev.certplane.security.OperatorPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The UI shell's own pages: login and home. Feature pages live in their features. */
@Controller
class Pages {

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal OperatorPrincipal operator, Model model) {
        model.addAttribute("operator", operator);
        return "home";
    }
}
