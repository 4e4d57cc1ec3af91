package dev.ferry.quality;

import dev.ferry.InvalidInputException;

/**
 * An explicit decision to let one failing check through this run, with the reason; it is recorded
 * with the run's results so the history shows who let what through and why. {@code check} is a
 * check id ({@code null_rate:credit_card_due}) for every target, or {@code target/check} for one.
 */
public record AllowedFailure(String check, String reason) {

    public AllowedFailure {
        if (check == null || check.isBlank()) {
            throw new InvalidInputException("allowed failure has no check; expected a check id such as row_count or credit_history/row_count");
        }
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("allowed failure of '" + check + "' has no reason; an override must say why");
        }
    }

    boolean matches(String target, String checkId) {
        return check.equals(checkId) || check.equals(target + "/" + checkId);
    }
}
